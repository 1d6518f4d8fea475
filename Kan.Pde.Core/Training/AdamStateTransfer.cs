using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Splines;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Carries Adam's state across a grid extension. Before the extension it keeps a copy of the moments and, for
/// every KAN layer, the old knots and the layer's inputs at the sample points; afterwards it maps the moments
/// of each spline-coefficient tensor onto the new grid the way the extension maps the coefficients (a least-
/// squares fit of the old spline with the moments as coefficients, at the same samples: the first moment
/// directly, the second through its square root so that it stays non-negative) and keeps the step counts, so
/// Adam resumes with its bias correction and step scale instead of starting from zero.
/// </summary>
public sealed class AdamStateTransfer : IDisposable
{
    private readonly IReadOnlyList<AdamMoments> _moments;
    private readonly Dictionary<Parameter, (KanLayer Layer, KnotGrid Grid, Tensor Inputs)> _layers;
    private readonly IReadOnlyList<Parameter> _parameters;

    private AdamStateTransfer(IReadOnlyList<AdamMoments> moments, Dictionary<Parameter, (KanLayer, KnotGrid, Tensor)> layers, IReadOnlyList<Parameter> parameters)
    {
        _moments = moments;
        _layers = layers;
        _parameters = parameters;
    }

    /// <summary>Copies the state of <paramref name="adam"/> and the KAN layers' grids and inputs at <paramref name="samples"/>.</summary>
    public static AdamStateTransfer Capture(AdamOptimizer adam, INetwork network, Tensor samples)
    {
        var layers = new Dictionary<Parameter, (KanLayer, KnotGrid, Tensor)>(ReferenceEqualityComparer.Instance);
        foreach (var (layer, inputs) in KanLayerInputs.Of(network, samples))
            layers[layer.Coefficients] = (layer, layer.Grid, inputs.DetachFromDisposeScope());
        return new AdamStateTransfer(adam.GetMoments(), layers, adam.Parameters);
    }

    /// <summary>Writes the carried state into <paramref name="adam"/>, which must optimize the same parameters.</summary>
    public void Restore(AdamOptimizer adam)
    {
        if (!adam.Parameters.SequenceEqual(_parameters, ReferenceEqualityComparer.Instance))
            throw new ArgumentException("the new optimizer must optimize the same parameters as the old one");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mapped = new List<AdamMoments>();
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            var m = _moments[i];
            if (m.ExpAvg.shape.SequenceEqual(p.shape)) { mapped.Add(m); continue; }
            if (!_layers.TryGetValue(p, out var layer))
                throw new InvalidOperationException($"parameter {i} changed shape but is not a KAN layer's spline coefficients");
            var grid = layer.Layer.Grid;
            var exp = Refit(m.ExpAvg, layer.Grid, grid, layer.Inputs);
            var sq = Refit(m.ExpAvgSq.clamp_min(0).sqrt(), layer.Grid, grid, layer.Inputs).square();
            mapped.Add(new AdamMoments(m.Step, exp, sq));
        }
        adam.SetMoments(mapped);
    }

    /// <summary>The least-squares coefficients on <paramref name="newGrid"/> of the splines with coefficients c [in, n, out] on <paramref name="oldGrid"/>.</summary>
    public static Tensor Refit(Tensor c, KnotGrid oldGrid, KnotGrid newGrid, Tensor inputs)
    {
        int In = oldGrid.Inputs;
        long N = inputs.shape[0];
        var xT = inputs.t().contiguous();
        using var oldBasis = new BSplineBasis(oldGrid, c.dtype, c.device);
        using var newBasis = new BSplineBasis(newGrid, c.dtype, c.device);
        var values = bmm(oldBasis.Evaluate(xT, 0).view(In, N, oldGrid.BasisCount), c);             // [in, N, out]
        return SplineFit.LeastSquares(newBasis.Evaluate(xT, 0).view(In, N, newGrid.BasisCount), values);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var m in _moments) m.Dispose();
        foreach (var (_, _, inputs) in _layers.Values) inputs.Dispose();
    }
}
