using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Sampling;

/// <summary>Independent uniform random points drawn from a torch generator (the stream of the spec's seed).</summary>
public sealed class UniformSequence : IUnitSequence
{
    private readonly Generator _generator;

    /// <summary>Points in <paramref name="dimension"/> coordinates from <paramref name="generator"/>, which it advances.</summary>
    public UniformSequence(int dimension, Generator generator)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension));
        Dimension = dimension;
        _generator = generator;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public double[] Next(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        if (count == 0) return Array.Empty<double>();
        using var u = rand(new long[] { count, Dimension }, ScalarType.Float64, CPU, generator: _generator);
        return u.data<double>().ToArray();
    }
}
