namespace Kan.Pde.Core.Sampling;

/// <summary>
/// The Halton low-discrepancy sequence: coordinate d of point i is the radical inverse of i in the d-th
/// prime base (2, 3, 5, 7, …). Index 0 (the origin) is skipped; later calls continue with the next indices.
/// </summary>
public sealed class HaltonSequence : IUnitSequence
{
    private static readonly int[] Primes = { 2, 3, 5, 7, 11, 13, 17, 19 };
    private long _index = 1;

    /// <summary>Largest supported dimension.</summary>
    public const int MaxDimension = 8;

    /// <summary>A sequence in <paramref name="dimension"/> coordinates, positioned at index 1.</summary>
    public HaltonSequence(int dimension)
    {
        if (dimension < 1 || dimension > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"Halton points are available in 1 to {MaxDimension} dimensions");
        Dimension = dimension;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Index of the next point.</summary>
    public long Index => _index;

    /// <inheritdoc />
    public double[] Next(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        var result = new double[(long)count * Dimension];
        for (int n = 0; n < count; n++, _index++)
            for (int d = 0; d < Dimension; d++) result[(long)n * Dimension + d] = RadicalInverse(_index, Primes[d]);
        return result;
    }

    /// <summary>The digits of <paramref name="i"/> in base <paramref name="b"/> mirrored behind the radix point.</summary>
    public static double RadicalInverse(long i, int b)
    {
        double result = 0, f = 1.0 / b;
        while (i > 0)
        {
            result += f * (i % b);
            i /= b;
            f /= b;
        }
        return result;
    }
}
