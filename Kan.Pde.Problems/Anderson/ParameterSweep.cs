namespace Kan.Pde.Problems.Anderson;

/// <summary>One branch of the analytic mobility edge over a sweep: the swept values where it exists and its energies there.</summary>
public sealed record EdgeBranchCurve(double[] Values, double[] Energies);

/// <summary>
/// A slice through a chain family's parameter space for a phase diagram: one parameter swept across its range, the
/// others held at fixed values (0 where none is given), and the phase φ drawn per chain, since the spectrum's
/// localization does not depend on it.
/// </summary>
public sealed class ParameterSweep
{
    /// <summary>Creates the sweep; every fixed value must name a parameter of the family other than the swept one.</summary>
    public ParameterSweep(ChainFamily family, string parameter, IReadOnlyDictionary<string, double> fixedValues)
    {
        SweptIndex = family.ParameterIndex(parameter);
        foreach (var name in fixedValues.Keys)
        {
            if (name == parameter) throw new ArgumentException($"'{name}' is swept and cannot also be held fixed");
            family.ParameterIndex(name);   // throws for a name the family does not have
        }
        Family = family;
        Parameter = parameter;
        FixedValues = fixedValues;
    }

    /// <summary>The name of the phase parameter, drawn per chain.</summary>
    public const string Phase = "phi";

    /// <summary>The chain family.</summary>
    public ChainFamily Family { get; }

    /// <summary>The swept parameter.</summary>
    public string Parameter { get; }

    /// <summary>Index of the swept parameter in the family's parameters.</summary>
    public int SweptIndex { get; }

    /// <summary>Values of the parameters held fixed.</summary>
    public IReadOnlyDictionary<string, double> FixedValues { get; }

    /// <summary>The swept parameter's range.</summary>
    public ParameterRange Range => Family.Parameters[SweptIndex];

    /// <summary>
    /// Parameter sets of <paramref name="count"/> chains with the swept value at the midpoints of equal cells of its
    /// range and φ drawn from <paramref name="random"/>, one draw per chain in order.
    /// </summary>
    public double[][] Columns(int count, Random random)
    {
        var range = Range;
        var columns = new double[count][];
        for (int c = 0; c < count; c++)
        {
            columns[c] = Family.Parameters.Select(p => p.Name == Phase ? p.Draw(random)
                : FixedValues.TryGetValue(p.Name, out var v) ? v : 0.0).ToArray();
            columns[c][SweptIndex] = range.Lo + (range.Hi - range.Lo) * (c + 0.5) / count;
        }
        return columns;
    }

    /// <summary><paramref name="points"/> equally spaced swept values from the range's low end to its high end.</summary>
    public double[] Values(int points)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), points, "a sweep needs at least two points");
        var range = Range;
        return Enumerable.Range(0, points).Select(k => range.Lo + (range.Hi - range.Lo) * k / (points - 1)).ToArray();
    }

    /// <summary>
    /// The analytic mobility edge along the sweep, one curve per branch of <see cref="ChainFamily.EdgeEnergies"/>
    /// (in branch order), each holding the values where that branch exists (φ = 0; the edge does not depend on it).
    /// </summary>
    public IReadOnlyList<EdgeBranchCurve> TheoryEdge(IReadOnlyList<double> values)
    {
        var energies = values.Select(v =>
        {
            var parameters = Family.Parameters.Select(p => FixedValues.TryGetValue(p.Name, out var f) ? f : 0.0).ToArray();
            parameters[SweptIndex] = v;
            return Family.EdgeEnergies(parameters);
        }).ToArray();
        int branches = energies.Length > 0 ? energies[0].Length : 0;
        return Enumerable.Range(0, branches).Select(b =>
        {
            var exists = Enumerable.Range(0, values.Count).Where(k => double.IsFinite(energies[k][b])).ToArray();
            return new EdgeBranchCurve(exists.Select(k => values[k]).ToArray(), exists.Select(k => energies[k][b]).ToArray());
        }).ToArray();
    }
}
