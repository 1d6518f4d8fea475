using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Runtime;

/// <summary>
/// Zero-dimensional tensors holding small constants (1, 2, …), one per value, dtype and device, kept for the process.
/// They stand in for .NET numbers in element-wise arithmetic: <c>1 - s</c> with a number is two operations in
/// TorchSharp (negate, then add) where <c>one - s</c> is one, and a kept tensor cannot be freed while libtorch reads it
/// (the hazard of temporary Scalars, see <c>SupervisedLosses.MeanSquare</c>).
/// </summary>
internal static class ConstantTensors
{
    private static readonly Dictionary<(double Value, ScalarType Type, DeviceType Device, int Index), Tensor> Cache = new();

    /// <summary><paramref name="value"/> as a 0-d tensor of <paramref name="like"/>'s dtype and device.</summary>
    public static Tensor Of(double value, Tensor like)
    {
        var device = like.device;
        var key = (value, like.dtype, device.type, device.index);
        lock (Cache)
        {
            if (Cache.TryGetValue(key, out var cached) && !cached.IsInvalid) return cached;
            var created = tensor(value, like.dtype, device).DetachFromDisposeScope();
            Cache[key] = created;
            return created;
        }
    }

    /// <summary>The Scalar 1 (the factor of <c>addcmul</c>), kept for the process.</summary>
    public static readonly Scalar One = 1.0.ToScalar();
}
