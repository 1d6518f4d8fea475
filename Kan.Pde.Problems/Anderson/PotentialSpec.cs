using Kan.Pde.Core.Geometry;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// Reads a <c>potential</c> mapping of a problem section:
/// <c>{kind: disorder, strength: W, cell: ℓ, smoothing: δ, seed: s}</c> (Anderson disorder, see
/// <see cref="CellDisorderPotential"/>) or <c>{kind: expression, value: EXPR}</c> (e.g. a quasi-periodic potential).
/// </summary>
public static class PotentialSpec
{
    private static readonly string[] Keys = { "kind", "strength", "cell", "smoothing", "seed", "value" };

    /// <summary>Reads the potential of <paramref name="problem"/> on <paramref name="domain"/>.</summary>
    public static IPotential Read(IProblemSection problem, Box domain)
    {
        var section = problem.Section("potential", Keys)
            ?? throw problem.Error("potential", "required field is missing; expected {kind: disorder, strength: W, cell: 1, seed: 0} or {kind: expression, value: ...}");
        string kind = section.Choice("kind", null, "disorder", "expression");
        string[] disorderOnly = { "strength", "cell", "smoothing", "seed" };
        if (kind == "expression")
        {
            foreach (var key in disorderOnly)
                if (section.Has(key)) throw section.Error(key, "applies to kind: disorder only");
            var expression = section.Expression("value", domain.Variables);
            return new ExpressionPotential(expression, section.Text("value"));
        }
        if (section.Has("value")) throw section.Error("value", "applies to kind: expression only");
        double cell = section.Number("cell", 1.0, min: 1e-9);
        double smoothing = section.Number("smoothing", 0.0, min: 0, max: cell / 10);
        return new CellDisorderPotential(domain.Axes.Select(a => a.Lo).ToArray(), domain.Axes.Select(a => a.Length).ToArray(),
            section.Number("strength", min: 0, max: 1e12), cell, smoothing, section.Integer("seed", 0, min: 0));
    }

    /// <summary>Reads <c>reference: {points: n}</c> (coarse finite-difference nodes per axis), with a default.</summary>
    public static int ReferenceNodes(IProblemSection problem, int fallback, int max)
    {
        var section = problem.Section("reference", new[] { "points" });
        return section is null ? fallback : section.Integer("points", fallback, min: 5, max: max);
    }
}
