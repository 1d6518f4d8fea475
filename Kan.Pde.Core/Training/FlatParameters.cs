using Kan.Pde.Core.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Views a list of parameters as one flat vector of doubles in host memory, as quasi-Newton methods need: reads
/// values and gradients into managed arrays and writes a flat vector back into the parameters.
/// </summary>
/// <remarks>
/// For float64 parameters on the CPU the copies go straight through memory, with no tensor operation at all; small
/// problems are bound by per-operation overhead, and a tensor-based optimizer spends more time on its bookkeeping
/// than on the network. Other devices and dtypes take one concatenation and one transfer each way; the transfer of
/// the gradient is the one synchronization per evaluation that the line search needs anyway (for the loss).
/// </remarks>
internal sealed class FlatParameters
{
    private readonly Parameter[] _parameters;
    private readonly long[] _sizes;
    private readonly bool _direct;

    public FlatParameters(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0) throw new ArgumentException("no parameters to optimize", nameof(parameters));
        _parameters = parameters.ToArray();
        for (int i = 0; i < _parameters.Length; i++)
            if (_parameters[i] is null) throw new ArgumentException($"parameter {i} is null", nameof(parameters));

        // torch.cat would silently promote mixed dtypes and fail natively on mixed devices, so check up front.
        var first = _parameters[0];
        if (!first.is_floating_point()) throw new ArgumentException("parameters must be floating point", nameof(parameters));
        foreach (var p in _parameters)
        {
            if (p.dtype != first.dtype)
                throw new ArgumentException($"mixed parameter dtypes ({first.dtype}, {p.dtype})", nameof(parameters));
            if (p.device.ToString() != first.device.ToString())
                throw new ArgumentException($"mixed parameter devices ({first.device}, {p.device})", nameof(parameters));
        }
        DType = first.dtype;
        Device = first.device;
        _sizes = _parameters.Select(p => p.numel()).ToArray();
        Count = _sizes.Sum();
        if (Count > Array.MaxLength) throw new ArgumentException("too many parameters for one flat vector", nameof(parameters));
        _direct = Device.type == DeviceType.CPU && DType == ScalarType.Float64;
    }

    public ScalarType DType { get; }

    public Device Device { get; }

    /// <summary>Total number of scalar parameters.</summary>
    public long Count { get; }

    /// <summary>A copy of the current parameter values.</summary>
    public double[] ReadValues()
    {
        var result = new double[Count];
        if (_direct)
        {
            long offset = 0;
            for (int i = 0; i < _parameters.Length; i++)
            {
                CopyOut(Contiguous(_parameters[i]), result, offset, _sizes[i]);
                offset += _sizes[i];
            }
            return result;
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        CopyFromDevice(cat(_parameters.Select(p => p.detach().reshape(-1)).ToArray(), 0), result);
        return result;
    }

    /// <summary>A copy of the current gradients; a missing gradient counts as zero.</summary>
    public double[] ReadGradients()
    {
        var result = new double[Count];
        using var scope = NewDisposeScope();
        if (_direct)
        {
            long offset = 0;
            for (int i = 0; i < _parameters.Length; i++)
            {
                var grad = _parameters[i].grad;
                if (grad is not null) CopyOut(Contiguous(grad), result, offset, _sizes[i]);
                offset += _sizes[i];
            }
            return result;
        }
        using var noGrad = no_grad();
        var pieces = new Tensor[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
            pieces[i] = _parameters[i].grad?.reshape(-1) ?? zeros(_sizes[i], dtype: DType, device: Device);
        CopyFromDevice(cat(pieces, 0), result);
        return result;
    }

    /// <summary>Writes <paramref name="flat"/> into the parameters.</summary>
    public void Write(ReadOnlySpan<double> flat)
    {
        if (flat.Length != Count) throw new ArgumentException($"expected a vector of {Count} values, got {flat.Length}");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_direct)
        {
            long offset = 0;
            for (int i = 0; i < _parameters.Length; i++)
            {
                var p = _parameters[i];
                // Parameters are contiguous (a non-contiguous one takes the copy_ route below).
                if (p.is_contiguous()) CopyIn(flat.Slice((int)offset, (int)_sizes[i]), p);
                else using (var piece = tensor(flat.Slice((int)offset, (int)_sizes[i]).ToArray(), p.shape, DType)) p.copy_(piece);
                offset += _sizes[i];
            }
            return;
        }
        var all = tensor(flat.ToArray(), ScalarType.Float64).to(DType, Device);
        long at = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].copy_(all.narrow(0, at, _sizes[i]).view(_parameters[i].shape));
            at += _sizes[i];
        }
    }

    private static Tensor Contiguous(Tensor t) => t.is_contiguous() ? t : t.contiguous();

    private static unsafe void CopyOut(Tensor source, double[] destination, long offset, long count)
    {
        var from = new ReadOnlySpan<double>((void*)TensorMemory.Address(source), (int)count);
        from.CopyTo(destination.AsSpan((int)offset, (int)count));
        GC.KeepAlive(source);
    }

    private static unsafe void CopyIn(ReadOnlySpan<double> source, Tensor destination)
    {
        source.CopyTo(new Span<double>((void*)TensorMemory.Address(destination), source.Length));
        GC.KeepAlive(destination);
    }

    private static void CopyFromDevice(Tensor flat, double[] destination)
    {
        using var host = flat.to(ScalarType.Float64, CPU).contiguous();
        host.data<double>().CopyTo(destination, 0, 0);
    }
}
