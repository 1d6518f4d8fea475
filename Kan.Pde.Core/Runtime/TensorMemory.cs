using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Runtime;

/// <summary>
/// The address of a tensor's first element, for host code that reads or writes CPU tensors directly (the fused
/// KAN kernel, the optimizers' flat parameter views). TorchSharp keeps this accessor internal; the native entry
/// point it wraps is part of the LibTorchSharp library every TorchSharp build ships.
/// </summary>
internal static class TensorMemory
{
    /// <summary>Address of the first element of <paramref name="tensor"/> (0 for null); valid while it is alive.</summary>
    public static nint Address(Tensor? tensor) => tensor is null ? 0 : THSTensor_data(tensor.Handle);

    [DllImport("LibTorchSharp")]
    private static extern nint THSTensor_data(nint handle);
}
