using Kan.Pde.Core.Expressions;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// Hard boundary conditions by an output transform: output k becomes u_k = g_k + d·N_k, where N is the wrapped
/// network, d a distance-like function that vanishes where the condition holds and g_k the boundary values
/// extended inside. d and g are expressions in the physical coordinates; their derivatives are symbolic, so the
/// forward-mode jet through the transform is exact: ∂_j u = ∂_j g + ∂_j d·N + d·∂_j N and
/// ∂_jj u = ∂_jj g + ∂_jj d·N + 2·∂_j d·∂_j N + d·∂_jj N. Outputs without a value pass through unchanged.
/// It wraps the whole network (input scaling included), since d and g see the coordinates as the problem does.
/// </summary>
public sealed class HardBoundary : INetwork, IAdaptiveGrid, IWrappedNetwork
{
    private readonly Expr _distance;
    private readonly Expr?[] _values;
    private readonly Expr[] _dDistance, _ddDistance;
    private readonly Expr[]?[] _dValue, _ddValue;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="values"/> has one entry per output (null = unconstrained).</summary>
    public HardBoundary(INetwork inner, Expr distance, IReadOnlyList<Expr?> values)
    {
        if (values.Count != inner.OutputDimension)
            throw new ArgumentException($"expected {inner.OutputDimension} boundary values (one per output), got {values.Count}");
        if (distance.Variables.Count != inner.InputDimension)
            throw new ArgumentException($"the distance must be an expression in {inner.InputDimension} coordinates");
        if (values.All(v => v is null)) throw new ArgumentException("at least one output must be constrained");
        Inner = inner;
        _distance = distance;
        _values = values.ToArray();
        int D = inner.InputDimension;
        _dDistance = Enumerable.Range(0, D).Select(distance.Derivative).ToArray();
        _ddDistance = Enumerable.Range(0, D).Select(j => _dDistance[j].Derivative(j)).ToArray();
        _dValue = _values.Select(g => g is null ? null : Enumerable.Range(0, D).Select(g.Derivative).ToArray()).ToArray();
        _ddValue = _dValue.Select(dg => dg is null ? null : dg.Select((e, j) => e.Derivative(j)).ToArray()).ToArray();
    }

    /// <inheritdoc />
    public INetwork Inner { get; }

    /// <summary>d.</summary>
    public Expr Distance => _distance;

    /// <summary>g per output (null = unconstrained).</summary>
    public IReadOnlyList<Expr?> Values => _values;

    /// <inheritdoc />
    public int InputDimension => Inner.InputDimension;

    /// <inheritdoc />
    public int OutputDimension => Inner.OutputDimension;

    /// <inheritdoc />
    public long ParameterCount => Inner.ParameterCount;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> TrainableParameters => Inner.TrainableParameters;

    /// <inheritdoc />
    public string Description => $"{Inner.Description}, hard boundary u = g + d·N";

    /// <inheritdoc />
    public Tensor Forward(Tensor points)
    {
        var n = Inner.Forward(points);
        var d = _distance.Evaluate(points).unsqueeze(1);
        return Combine(k => _values[k]!.Evaluate(points).unsqueeze(1) + d * n.narrow(1, k, 1), n);
    }

    /// <inheritdoc />
    public Jet Propagate(Jet input)
    {
        if (!input.IsInput) throw new InvalidOperationException("a hard boundary transform must be the outermost map (it needs the input points)");
        var x = input.Value;
        var jet = Inner.Propagate(input);
        var d = _distance.Evaluate(x).unsqueeze(1);                                                   // [N, 1]
        var value = Combine(k => _values[k]!.Evaluate(x).unsqueeze(1) + d * jet.Value.narrow(1, k, 1), jet.Value);
        if (input.Order == 0) return new Jet(value, null, null) { Order = 0 };

        var dd = stack(_dDistance.Select(e => e.Evaluate(x)).ToArray(), 1).unsqueeze(2);              // [N, D, 1]
        var gradient = Combine(k => Stack(_dValue[k]!, x) + dd * jet.Value.narrow(1, k, 1).unsqueeze(1) + d.unsqueeze(1) * jet.Gradient!.narrow(2, k, 1),
            jet.Gradient!, axis: 2);
        if (input.Order == 1) return new Jet(value, gradient, null) { Order = 1 };

        var d2 = stack(_ddDistance.Select(e => e.Evaluate(x)).ToArray(), 1).unsqueeze(2);             // [N, D, 1]
        var second = Combine(k => Stack(_ddValue[k]!, x) + d2 * jet.Value.narrow(1, k, 1).unsqueeze(1)
                                  + 2 * dd * jet.Gradient!.narrow(2, k, 1) + d.unsqueeze(1) * jet.Second!.narrow(2, k, 1),
            jet.Second!, axis: 2);
        return new Jet(value, gradient, second) { Order = input.Order };
    }

    /// <summary>
    /// How much of d's height the collocation points nearest the boundary already see: the median |d| over the 5 %
    /// of <paramref name="interior"/> points nearest a point of <paramref name="boundary"/>, over the largest |d| in
    /// the interior (points where d vanishes left out). A distance that grows linearly from the boundary gives a small level (about h/L for spacing h
    /// and domain size L). A level near 1 means d jumps from 0 to its plateau between the boundary and the first
    /// points, as a steep tanh(k·x)-product does when 1/k is below the spacing: the points then see no constraint,
    /// d·N with d ≈ 1 is an unconstrained fit, and u can stay far from g just inside the boundary while the residual
    /// falls. NaN without points.
    /// </summary>
    public double LevelNearBoundary(Tensor interior, Tensor boundary)
    {
        if (interior.dim() != 2 || boundary.dim() != 2 || interior.shape[1] != InputDimension || boundary.shape[1] != InputDimension)
            throw new ArgumentException($"expected points of shape [N, {InputDimension}]");
        if (interior.shape[0] == 0 || boundary.shape[0] == 0) return double.NaN;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var all = interior.detach().to(ScalarType.Float64, CPU);
        var b = boundary.detach().to(ScalarType.Float64, CPU);
        var dAll = _distance.Evaluate(all).abs();
        double top = dAll.max().item<double>();
        if (!(top > 0)) return double.NaN;
        // Interior points on the boundary itself (a mesh sampler includes its edges) hold the constraint exactly and say
        // nothing about how d rises away from it.
        var off = (dAll > 1e-12 * top).nonzero().squeeze(1);
        long n = off.shape[0];
        if (n == 0) return double.NaN;
        var x = all.index_select(0, off);
        var d = dAll.index_select(0, off);
        // In chunks of rows, so that a block of pairwise distances stays within about 4M numbers (32 MB).
        long rows = Math.Max(1, (1L << 22) / b.shape[0]);
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += rows)
        {
            using var block = cdist(x.narrow(0, start, Math.Min(rows, n - start)), b);
            parts.Add(block.min(1).values);
        }
        var nearest = cat(parts);
        long count = Math.Max(1, (long)Math.Ceiling(0.05 * n));
        var closest = nearest.sort(stable: true).Indices.narrow(0, 0, count);
        return d.index_select(0, closest).median().item<double>() / top;
    }

    /// <summary>Column k of the result: the transform for constrained outputs, the inner network's for the others.</summary>
    private Tensor Combine(Func<int, Tensor> constrained, Tensor inner, int axis = 1) =>
        cat(Enumerable.Range(0, OutputDimension).Select(k => _values[k] is null ? inner.narrow(axis, k, 1) : constrained(k)).ToArray(), axis);

    /// <summary>The expressions evaluated at x, as [N, D, 1].</summary>
    private static Tensor Stack(Expr[] expressions, Tensor x) => stack(expressions.Select(e => e.Evaluate(x)).ToArray(), 1).unsqueeze(2);

    /// <inheritdoc />
    public int GridSize => (Inner as IAdaptiveGrid)?.GridSize ?? 0;

    /// <inheritdoc />
    public void UpdateGridFromSamples(Tensor x) => (Inner as IAdaptiveGrid)?.UpdateGridFromSamples(x);

    /// <inheritdoc />
    public void ExtendGrid(int newGridSize, Tensor x) => (Inner as IAdaptiveGrid)?.ExtendGrid(newGridSize, x);

    /// <inheritdoc />
    public void Dispose() => Inner.Dispose();
}
