namespace Kan.Pde.Runner.Results;

/// <summary>
/// A scalar field sampled on a tensor grid, for heat maps.
/// <see cref="Values"/> is indexed <c>[iy, ix]</c>, matching <see cref="Ys"/> and <see cref="Xs"/>.
/// </summary>
/// <param name="Xs">Strictly increasing x coordinates of the grid nodes.</param>
/// <param name="Ys">Strictly increasing y coordinates of the grid nodes.</param>
/// <param name="Values">Field values, <c>Values[iy, ix]</c> at <c>(Xs[ix], Ys[iy])</c>.</param>
/// <param name="Label">What the field is, e.g. "u_θ(x, y)"; used for the colour bar.</param>
public sealed record FieldGrid2D(double[] Xs, double[] Ys, double[,] Values, string Label)
{
    /// <summary>True when NaN values mark nodes outside the domain (drawn blank rather than as errors).</summary>
    public bool Masked { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> unless the arrays describe a consistent grid.</summary>
    public void Validate(string name)
    {
        if (Xs is null || Ys is null || Values is null)
            throw new ArgumentException($"Field '{name}' has a null coordinate or value array.", name);
        if (Xs.Length < 2 || Ys.Length < 2)
            throw new ArgumentException($"Field '{name}' needs at least 2 nodes per axis, got {Xs.Length}×{Ys.Length}.", name);
        if (Values.GetLength(0) != Ys.Length || Values.GetLength(1) != Xs.Length)
            throw new ArgumentException(
                $"Field '{name}' values are {Values.GetLength(0)}×{Values.GetLength(1)} [iy, ix] " +
                $"but the grid is {Ys.Length}×{Xs.Length}.", name);
        RequireIncreasing(Xs, name, "x");
        RequireIncreasing(Ys, name, "y");
    }

    /// <summary>True when <paramref name="other"/> is sampled on exactly the same nodes.</summary>
    public bool SameGridAs(FieldGrid2D other) =>
        Xs.AsSpan().SequenceEqual(other.Xs) && Ys.AsSpan().SequenceEqual(other.Ys);

    private static void RequireIncreasing(double[] axis, string name, string axisName)
    {
        for (int i = 1; i < axis.Length; i++)
        {
            // Written as a negation so NaN coordinates are rejected too.
            if (!(axis[i] > axis[i - 1]))
                throw new ArgumentException($"Field '{name}' {axisName} coordinates are not strictly increasing at index {i}.", name);
        }
    }
}
