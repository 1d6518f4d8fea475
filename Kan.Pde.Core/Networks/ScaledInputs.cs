using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// Maps the domain's bounding box onto [-1, 1]^D before the wrapped network: x̂_d = (x_d − c_d)/s_d with
/// centre c and half-width s. Spline grids and activations then see the same range whatever the physical
/// units; derivatives with respect to x follow by the chain rule (∂/∂x_d = ∂/∂x̂_d / s_d, and 1/s_d² for the
/// pure second derivatives). On [-1, 1]^D the map is the identity, bit for bit.
/// </summary>
public sealed class ScaledInputs : INetwork, IAdaptiveGrid
{
    private readonly double[] _centre, _halfWidth;
    private readonly Tensor _c, _s;

    /// <summary>Wraps <paramref name="inner"/>; the box is given by its lower and upper corners.</summary>
    public ScaledInputs(INetwork inner, IReadOnlyList<double> lower, IReadOnlyList<double> upper)
    {
        if (lower.Count != inner.InputDimension || upper.Count != inner.InputDimension)
            throw new ArgumentException($"the box needs {inner.InputDimension} coordinates");
        Inner = inner;
        _centre = lower.Zip(upper, (lo, hi) => (lo + hi) / 2).ToArray();
        _halfWidth = lower.Zip(upper, (lo, hi) => (hi - lo) / 2).ToArray();
        if (_halfWidth.Any(h => !(h > 0) || !double.IsFinite(h))) throw new ArgumentException("the box must have positive finite extent");
        var p = inner.TrainableParameters.FirstOrDefault();
        var dtype = p?.dtype ?? ScalarType.Float64;
        var device = p?.device ?? CPU;
        _c = tensor(_centre, dtype, device).DetachFromDisposeScope();
        _s = tensor(_halfWidth, dtype, device).DetachFromDisposeScope();
    }

    /// <summary>The wrapped network, which sees coordinates in [-1, 1]^D.</summary>
    public INetwork Inner { get; }

    /// <summary>Centre c of the box.</summary>
    public IReadOnlyList<double> Centre => _centre;

    /// <summary>Half-widths s of the box.</summary>
    public IReadOnlyList<double> HalfWidth => _halfWidth;

    /// <inheritdoc />
    public int InputDimension => Inner.InputDimension;

    /// <inheritdoc />
    public int OutputDimension => Inner.OutputDimension;

    /// <inheritdoc />
    public long ParameterCount => Inner.ParameterCount;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> TrainableParameters => Inner.TrainableParameters;

    /// <inheritdoc />
    public string Description => Inner.Description;

    /// <summary>x̂ = (x − c)/s.</summary>
    public Tensor Scale(Tensor points) => (points - _c) / _s;

    /// <inheritdoc />
    public Tensor Forward(Tensor points) => Inner.Forward(Scale(points));

    /// <inheritdoc />
    public Jet Propagate(Jet input)
    {
        if (!input.IsInput)
        {
            // A jet from an earlier map: scale its value and derivatives along the width axis.
            var s = _s;
            return Inner.Propagate(new Jet(Scale(input.Value), input.Gradient is null ? null : input.Gradient / s,
                input.Second is null ? null : input.Second / s) { Order = input.Order });
        }
        var jet = Inner.Propagate(Jet.Input(Scale(input.Value), input.Order));
        if (input.Order == 0) return jet;
        var perInput = _s.view(1, -1, 1);                                       // [1, D, 1] against [N, D, m]
        var gradient = jet.Gradient! / perInput;
        var second = input.Order >= 2 ? jet.Second! / perInput.square() : null;
        return new Jet(jet.Value, gradient, second) { Order = input.Order };
    }

    /// <inheritdoc />
    public int GridSize => (Inner as IAdaptiveGrid)?.GridSize ?? 0;

    /// <inheritdoc />
    public void UpdateGridFromSamples(Tensor x) => (Inner as IAdaptiveGrid)?.UpdateGridFromSamples(Scale(x));

    /// <inheritdoc />
    public void ExtendGrid(int newGridSize, Tensor x) => (Inner as IAdaptiveGrid)?.ExtendGrid(newGridSize, Scale(x));

    /// <inheritdoc />
    public void Dispose()
    {
        _c.Dispose();
        _s.Dispose();
        Inner.Dispose();
    }
}
