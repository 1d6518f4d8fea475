namespace Kan.Pde.Problems.Anderson;

/// <summary>A well of the effective potential 1/u: where it has a local minimum, and its value there.</summary>
/// <param name="Position">x of the minimum.</param>
/// <param name="Depth">1/u at the minimum (the bottom of the well).</param>
public sealed record LandscapeWell(double Position, double Depth)
{
    /// <summary>
    /// The landscape's estimate of the energy of a state localized in this well, (1 + d/4)·min(1/u)
    /// (Arnold, David, Filoche, Jerison, Mayboroda 2019), for dimension <paramref name="dimension"/>.
    /// </summary>
    public double EnergyEstimate(int dimension) => (1 + dimension / 4.0) * Depth;
}

/// <summary>Finds the wells of 1/u from a 1-D landscape on grid nodes.</summary>
public static class LandscapeWells
{
    /// <summary>Local minima of 1/u at interior nodes, deepest (lowest) first.</summary>
    public static IReadOnlyList<LandscapeWell> Find(GridFunction landscape)
    {
        if (landscape.Dimension != 1) throw new ArgumentException("wells are found on 1-D landscapes");
        var x = Enumerable.Range(0, landscape.Nodes[0]).Select(i => landscape.Coordinate(0, i)).ToArray();
        return Find(x, landscape.Values);
    }

    /// <summary>Local minima of 1/u at interior samples of u at ascending positions x, deepest (lowest) first.</summary>
    public static IReadOnlyList<LandscapeWell> Find(IReadOnlyList<double> x, IReadOnlyList<double> u)
    {
        if (x.Count != u.Count) throw new ArgumentException("one value of u per position");
        var wells = new List<LandscapeWell>();
        for (int i = 1; i < x.Count - 1; i++)
        {
            if (!(x[i] > x[i - 1])) throw new ArgumentException("positions must be ascending");
            if (!(u[i] > 0)) continue;
            if (u[i] > u[i - 1] && u[i] >= u[i + 1]) wells.Add(new LandscapeWell(x[i], 1 / u[i]));
        }
        return wells.OrderBy(w => w.Depth).ToArray();
    }
}
