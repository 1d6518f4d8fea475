using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Symbolic;

/// <summary>
/// The symbolic edges of one KAN layer: edge i→j can be fixed to φ_ij(x) = c·f(a·x + b) + d with a library function f
/// and trainable (a, b, c, d); the layer then masks that edge's spline and base terms off. Edges not fixed contribute
/// nothing here. Values and the first two derivatives in x come in closed form, so symbolic edges take part in the
/// layer's forward-mode jets exactly like spline edges.
/// </summary>
public sealed class SymbolicEdges : IDisposable
{
    private readonly SymbolicFunction?[,] _functions;
    private List<(SymbolicFunction Function, Tensor Edges, Tensor Inputs)>? _groups;

    /// <summary>Creates a layer's symbolic edges, none fixed yet.</summary>
    public SymbolicEdges(int inputs, int outputs, ScalarType dtype, Device device)
    {
        Inputs = inputs;
        Outputs = outputs;
        _functions = new SymbolicFunction?[inputs, outputs];
        // Edges may be fixed inside a caller's dispose scope; these tensors live as long as the layer.
        Affine = (Parameter)new Parameter(zeros(new long[] { inputs, outputs, 4 }, dtype, device).DetachFromDisposeScope()).DetachFromDisposeScope();
        Mask = zeros(new long[] { inputs, outputs }, dtype, device).DetachFromDisposeScope();
    }

    /// <summary>Input nodes of the layer.</summary>
    public int Inputs { get; }

    /// <summary>Output nodes of the layer.</summary>
    public int Outputs { get; }

    /// <summary>(a, b, c, d) of every edge as [in, out, 4]; only the entries of fixed edges are used (and get gradients).</summary>
    public Parameter Affine { get; }

    /// <summary>[in, out], 1 where the edge is symbolic; not trained.</summary>
    public Tensor Mask { get; }

    /// <summary>Number of symbolic edges.</summary>
    public int Count { get; private set; }

    /// <summary>True when at least one edge is symbolic.</summary>
    public bool Any => Count > 0;

    /// <summary>The function edge i→j is fixed to, or null for a spline edge.</summary>
    public SymbolicFunction? FunctionOf(int i, int j)
    {
        CheckEdge(i, j);
        return _functions[i, j];
    }

    /// <summary>The current (a, b, c, d) of edge i→j.</summary>
    public (double A, double B, double C, double D) AffineOf(int i, int j)
    {
        CheckEdge(i, j);
        var p = Affine[i, j].detach().to(ScalarType.Float64, CPU).data<double>().ToArray();
        return (p[0], p[1], p[2], p[3]);
    }

    /// <summary>Fixes edge i→j to c·f(a·x + b) + d.</summary>
    public void Fix(int i, int j, SymbolicFunction function, double a, double b, double c, double d)
    {
        ArgumentNullException.ThrowIfNull(function);
        CheckEdge(i, j);
        if (!(double.IsFinite(a) && double.IsFinite(b) && double.IsFinite(c) && double.IsFinite(d)))
            throw new ArgumentException($"affine parameters of edge {i}->{j} must be finite");
        using (no_grad())
        {
            Affine[i, j].copy_(tensor(new[] { a, b, c, d }, Affine.dtype, Affine.device));
            Mask[i, j].fill_(1);
        }
        if (_functions[i, j] is null) Count++;
        _functions[i, j] = function;
        DisposeGroups();
    }

    /// <summary>Fixes edge i→j to a fit.</summary>
    public void Fix(int i, int j, SymbolicFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        Fix(i, j, fit.Function, fit.A, fit.B, fit.C, fit.D);
    }

    /// <summary>Returns edge i→j to its spline.</summary>
    public void Release(int i, int j)
    {
        CheckEdge(i, j);
        if (_functions[i, j] is null) return;
        using (no_grad())
        {
            Affine[i, j].zero_();
            Mask[i, j].fill_(0);
        }
        _functions[i, j] = null;
        Count--;
        DisposeGroups();
    }

    /// <summary>The mask of the spline and base terms: <paramref name="mask"/> with symbolic edges removed.</summary>
    public Tensor SplineMask(Tensor mask) => Any ? mask * (1 - Mask) : mask;

    /// <summary>
    /// φ_ij and its first <paramref name="order"/> derivatives for every symbolic edge, as [in, N, order+1, out] (zero for
    /// spline edges), at the layer inputs <paramref name="xT"/> [in, N], times <paramref name="mask"/> (pruning); null
    /// when no edge is symbolic. With z = a·x + b: φ = c·f(z) + d, φ' = c·a·f'(z), φ'' = c·a²·f''(z).
    /// </summary>
    public Tensor? Terms(Tensor xT, int order, Tensor mask)
    {
        if (!Any) return null;
        if (xT.dim() != 2 || xT.shape[0] != Inputs)
            throw new ArgumentException($"expected layer inputs [{Inputs}, N], got [{string.Join(", ", xT.shape)}]");
        long N = xT.shape[1];
        var affine = Affine.view(Inputs * Outputs, 4);
        var active = mask.reshape(Inputs * Outputs);
        var result = zeros(new long[] { Inputs * Outputs, N, order + 1 }, xT.dtype, xT.device);
        foreach (var (function, edges, inputs) in Groups(xT.device))
        {
            var x = xT.index_select(0, inputs);                                   // [E, N]
            var p = affine.index_select(0, edges);                                // [E, 4]
            var m = active.index_select(0, edges).unsqueeze(1);                   // [E, 1]
            Tensor a = p.select(1, 0).unsqueeze(1), b = p.select(1, 1).unsqueeze(1);
            Tensor c = p.select(1, 2).unsqueeze(1) * m, d = p.select(1, 3).unsqueeze(1) * m;
            var f = function.Evaluate(a * x + b, order);
            var parts = new List<Tensor> { c * f[0] + d };
            if (order >= 1) parts.Add(c * a * f[1]);
            if (order >= 2) parts.Add(c * a.square() * f[2]);
            result = result.index_add(0, edges, stack(parts, -1), 1);
        }
        return result.view(Inputs, Outputs, N, order + 1).permute(0, 2, 3, 1);
    }

    /// <summary>Edges grouped by function, so each function is evaluated once per layer pass.</summary>
    private List<(SymbolicFunction, Tensor, Tensor)> Groups(Device device)
    {
        if (_groups is not null && _groups.All(g => g.Edges.device == device)) return _groups;
        DisposeGroups();
        var groups = new List<(SymbolicFunction, Tensor, Tensor)>();
        foreach (var function in SymbolicLibrary.All)
        {
            var edges = new List<long>();
            var inputs = new List<long>();
            for (int i = 0; i < Inputs; i++)
                for (int j = 0; j < Outputs; j++)
                    if (_functions[i, j] == function)
                    {
                        edges.Add((long)i * Outputs + j);
                        inputs.Add(i);
                    }
            if (edges.Count == 0) continue;
            var e = tensor(edges.ToArray(), ScalarType.Int64, device).DetachFromDisposeScope();
            var n = tensor(inputs.ToArray(), ScalarType.Int64, device).DetachFromDisposeScope();
            groups.Add((function, e, n));
        }
        _groups = groups;
        return groups;
    }

    private void CheckEdge(int i, int j)
    {
        if (i < 0 || i >= Inputs || j < 0 || j >= Outputs)
            throw new ArgumentOutOfRangeException(nameof(i), $"edge {i}->{j} is outside this {Inputs}->{Outputs} layer");
    }

    private void DisposeGroups()
    {
        if (_groups is null) return;
        foreach (var (_, e, n) in _groups)
        {
            e.Dispose();
            n.Dispose();
        }
        _groups = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeGroups();
        Affine.Dispose();
        Mask.Dispose();
    }
}
