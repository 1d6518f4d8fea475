namespace Kan.Pde.Core.Sampling;

/// <summary>
/// Latin hypercube samples: each call of <see cref="Next"/> with n points cuts every axis into n equal
/// strata and puts exactly one point in each, pairing the strata of different axes by independent random
/// permutations, with a uniform position inside each stratum. Each call is a fresh design from the
/// continuing random stream of the seed.
/// </summary>
public sealed class LatinHypercube : IUnitSequence
{
    private readonly Random _random;

    /// <summary>Designs in <paramref name="dimension"/> coordinates from <paramref name="seed"/>.</summary>
    public LatinHypercube(int dimension, int seed)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension));
        Dimension = dimension;
        _random = new Random(seed);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public double[] Next(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        var result = new double[(long)count * Dimension];
        var strata = new int[count];
        for (int d = 0; d < Dimension; d++)
        {
            for (int i = 0; i < count; i++) strata[i] = i;
            _random.Shuffle(strata);
            for (int i = 0; i < count; i++) result[(long)i * Dimension + d] = (strata[i] + _random.NextDouble()) / count;
        }
        return result;
    }
}
