namespace Kan.Pde.Runner.Spec;

/// <summary>
/// A set of reference samples read from a CSV file (<c>evaluation.reference</c>): points in the domain's coordinates and
/// values of some outputs, NaN where the file has none.
/// </summary>
/// <param name="Name">Name in reports and file names.</param>
/// <param name="Points">Sample points, [N][D] in the domain's coordinate order.</param>
/// <param name="Values">Reference values, [N][m] in the problem's output order, NaN where absent.</param>
/// <param name="Varying">Coordinates that vary along the set (the file's coordinate columns), in file order.</param>
/// <param name="File">The CSV file as written in the spec (for reports).</param>
public sealed record ReferenceSpec(string Name, double[][] Points, double[][] Values, IReadOnlyList<int> Varying, string File);
