using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>A static potential V(x) on R^D (D = 1 or 2 here), for landscapes and Schrödinger problems.</summary>
public interface IPotential
{
    /// <summary>D, the number of coordinates.</summary>
    int Dimension { get; }

    /// <summary>What the potential is, in words (for reports).</summary>
    string Description { get; }

    /// <summary>V at one point of D coordinates.</summary>
    double At(ReadOnlySpan<double> point);
}

/// <summary>Evaluation of a potential at many points.</summary>
public static class PotentialExtensions
{
    /// <summary>V at points [N, D], as [N] with the points' dtype and device (no gradient: V is data).</summary>
    public static Tensor Evaluate(this IPotential potential, Tensor points)
    {
        if (points.dim() != 2 || points.shape[1] != potential.Dimension)
            throw new ArgumentException($"points must be [N, {potential.Dimension}], got [{string.Join(", ", points.shape)}]");
        long n = points.shape[0];
        int d = potential.Dimension;
        var coordinates = points.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var values = new double[n];
        for (long i = 0; i < n; i++) values[i] = potential.At(coordinates.AsSpan((int)(i * d), d));
        return tensor(values, points.dtype, points.device);
    }
}
