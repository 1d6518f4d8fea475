using Kan.Pde.Core.Symbolic;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

public sealed partial class KanNetwork
{
    /// <summary>
    /// Freezes (true) or releases the spline coefficients and scales of every layer; frozen, training moves only the
    /// affine parameters of symbolic edges ("fix the edges, then train their affine parameters").
    /// </summary>
    public bool SplinesFrozen
    {
        get => _layers.All(l => l.SplinesFrozen);
        set
        {
            foreach (var layer in _layers) layer.SplinesFrozen = value;
        }
    }

    /// <summary>Number of symbolic edges in all layers.</summary>
    public int SymbolicEdgeCount => _layers.Sum(l => l.Symbolic.Count);

    /// <summary>The inputs of every layer for network inputs <paramref name="x"/> [N, D] (layer 0 gets x itself), detached.</summary>
    public IReadOnlyList<Tensor> LayerInputs(Tensor x)
    {
        using var noGrad = no_grad();
        var inputs = new List<Tensor>();
        var h = x.detach();
        foreach (var layer in _layers)
        {
            inputs.Add(h);
            h = layer.forward(h);
        }
        return inputs;
    }

    /// <summary>
    /// The sampled activation of edge <paramref name="edge"/>: its inputs and values at network inputs <paramref name="x"/>,
    /// as plain arrays (the edge's spline, or its symbolic function when fixed).
    /// </summary>
    public (double[] Inputs, double[] Values) EdgeSamples(EdgeId edge, Tensor x)
    {
        var layer = Layer(edge);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var h = LayerInputs(x)[edge.Layer];
        var values = layer.EdgeValues(h).select(0, edge.Input).select(1, edge.Output);
        return (ToArray(h.select(1, edge.Input)), ToArray(values));
    }

    /// <summary>Fits of the edge's sampled activation by each candidate function (default: the library), best first.</summary>
    public IReadOnlyList<SymbolicFit> SuggestSymbolic(EdgeId edge, Tensor x, IEnumerable<SymbolicFunction>? functions = null,
        SymbolicFitOptions? options = null)
    {
        var (inputs, values) = EdgeSamples(edge, x);
        return SymbolicFitter.Rank(inputs, values, functions, options);
    }

    /// <summary>
    /// Fits <paramref name="function"/> to the edge's sampled activation at network inputs <paramref name="x"/> and fixes
    /// the edge to the fit; returns the fit.
    /// </summary>
    public SymbolicFit FixSymbolic(EdgeId edge, SymbolicFunction function, Tensor x, SymbolicFitOptions? options = null)
    {
        var (inputs, values) = EdgeSamples(edge, x);
        var fit = SymbolicFitter.Fit(inputs, values, function, options);
        Layer(edge).Symbolic.Fix(edge.Input, edge.Output, fit);
        return fit;
    }

    /// <summary>Fixes the edge to c·f(a·x + b) + d with the given parameters.</summary>
    public void FixSymbolic(EdgeId edge, SymbolicFunction function, double a, double b, double c, double d) =>
        Layer(edge).Symbolic.Fix(edge.Input, edge.Output, function, a, b, c, d);

    /// <summary>Returns the edge to its spline.</summary>
    public void ReleaseSymbolic(EdgeId edge) => Layer(edge).Symbolic.Release(edge.Input, edge.Output);

    /// <summary>
    /// Snaps edges layer by layer, input layer first: every unmasked edge that is still a spline and passes
    /// <paramref name="include"/> is fitted with the candidate functions for its layer, and fixed to the best-scoring fit
    /// when its R² reaches <paramref name="minR2"/>. Each layer is fitted at inputs produced by the already-snapped layers
    /// before it. Returns one entry per edge considered.
    /// </summary>
    /// <param name="x">Network inputs [N, D] where activations are sampled.</param>
    /// <param name="functionsForLayer">Candidate functions per layer index (e.g. the whole library).</param>
    /// <param name="minR2">Smallest R² that is snapped.</param>
    /// <param name="include">Which edges to consider (default: all).</param>
    /// <param name="options">Fit settings.</param>
    public IReadOnlyList<EdgeSnap> AutoSymbolic(Tensor x, Func<int, IEnumerable<SymbolicFunction>> functionsForLayer, double minR2,
        Func<EdgeId, bool>? include = null, SymbolicFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(functionsForLayer);
        var snaps = new List<EdgeSnap>();
        for (int l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            var mask = ToArray(layer.Mask.reshape(-1));
            var candidates = functionsForLayer(l).ToArray();
            if (candidates.Length == 0) continue;
            for (int i = 0; i < layer.Inputs; i++)
                for (int j = 0; j < layer.Outputs; j++)
                {
                    var edge = new EdgeId(l, i, j);
                    if (mask[i * layer.Outputs + j] == 0 || layer.Symbolic.FunctionOf(i, j) is not null) continue;
                    if (include is not null && !include(edge)) continue;
                    var best = SuggestSymbolic(edge, x, candidates, options)[0];
                    bool snap = best.R2 >= minR2;
                    if (snap) layer.Symbolic.Fix(i, j, best);
                    snaps.Add(new EdgeSnap(edge, best, snap));
                }
        }
        return snaps;
    }

    private KanLayer Layer(EdgeId edge)
    {
        if (edge.Layer < 0 || edge.Layer >= _layers.Count)
            throw new ArgumentOutOfRangeException(nameof(edge), $"layer {edge.Layer} is outside 0..{_layers.Count - 1}");
        var layer = _layers[edge.Layer];
        if (edge.Input < 0 || edge.Input >= layer.Inputs || edge.Output < 0 || edge.Output >= layer.Outputs)
            throw new ArgumentOutOfRangeException(nameof(edge), $"edge {edge} is outside layer {edge.Layer} ({layer.Inputs}->{layer.Outputs})");
        return layer;
    }

    private static double[] ToArray(Tensor t) => t.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
}
