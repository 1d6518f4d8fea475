using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Views a list of parameters as one flat vector, as quasi-Newton methods need: gathers values and gradients
/// into new 1-D tensors and writes a flat vector back into the parameters.
/// </summary>
internal sealed class FlatParameters
{
    private readonly Parameter[] _parameters;
    private readonly long[] _sizes;

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
    }

    public ScalarType DType { get; }

    public Device Device { get; }

    /// <summary>Total number of scalar parameters.</summary>
    public long Count { get; }

    /// <summary>A copy of the current parameter values as one vector.</summary>
    public Tensor GatherValues()
    {
        using var _ = torch.no_grad();
        return Concatenate(_parameters.Select(p => p.detach().reshape(-1)).ToArray());
    }

    /// <summary>A copy of the current gradients as one vector; a missing gradient counts as zero.</summary>
    public Tensor GatherGradients()
    {
        using var _ = torch.no_grad();
        var pieces = new Tensor[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            pieces[i] = grad is null
                ? torch.zeros(_sizes[i], dtype: DType, device: Device)
                : grad.reshape(-1);
        }
        return Concatenate(pieces);
    }

    // The result must never alias a parameter or gradient: parameters are overwritten during the line search and
    // gradients are zeroed by the next closure call. TorchSharp's cat hands back its only input unchanged, so a
    // single piece is cloned explicitly.
    private static Tensor Concatenate(Tensor[] pieces) =>
        pieces.Length == 1 ? pieces[0].clone() : torch.cat(pieces, 0);

    /// <summary>Writes <paramref name="flat"/> into the parameters.</summary>
    public void Scatter(Tensor flat)
    {
        if (flat.ndim != 1 || flat.shape[0] != Count)
            throw new ArgumentException($"expected a vector of {Count} values, got shape [{string.Join(", ", flat.shape)}]");
        using var _ = torch.no_grad();
        long offset = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            using var piece = flat.narrow(0, offset, _sizes[i]).view(_parameters[i].shape);
            _parameters[i].copy_(piece);
            offset += _sizes[i];
        }
    }
}
