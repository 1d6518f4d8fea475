using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Symbolic;

/// <summary>
/// A fully symbolic KAN read as closed-form formulas: node j of layer l+1 is Σ_i φ_ij(node i of layer l) over the
/// unmasked edges, with φ_ij = c·f(a·x + b) + d, composed from the input variables to the outputs.
/// </summary>
public static class KanFormula
{
    /// <summary>The unmasked edges that are still splines (a formula needs none).</summary>
    public static IReadOnlyList<EdgeId> SplineEdges(KanNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var edges = new List<EdgeId>();
        foreach (var (layer, l) in network.Layers.Select((layer, l) => (layer, l)))
        {
            var mask = Mask(layer);
            for (int i = 0; i < layer.Inputs; i++)
                for (int j = 0; j < layer.Outputs; j++)
                    if (mask[i, j] != 0 && layer.Symbolic.FunctionOf(i, j) is null) edges.Add(new EdgeId(l, i, j));
        }
        return edges;
    }

    /// <summary>
    /// One expression per network output in <paramref name="variables"/> (one name per input), simplified (like terms
    /// and constants collected; nothing dropped or rounded), so it evaluates to the network's output up to rounding.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some unmasked edge is still a spline.</exception>
    public static IReadOnlyList<Expr> Compose(KanNetwork network, IReadOnlyList<string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Compose(network, variables.Select(v => ExpressionParser.Parse(v, variables)).ToArray());
    }

    /// <summary>
    /// One expression per network output with input node d replaced by <paramref name="inputs"/>[d] (e.g. a scaled
    /// coordinate (x − c)/s), simplified as in <see cref="Compose(KanNetwork, IReadOnlyList{string})"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some unmasked edge is still a spline.</exception>
    public static IReadOnlyList<Expr> Compose(KanNetwork network, IReadOnlyList<Expr> inputs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != network.InputDimension)
            throw new ArgumentException($"the network has {network.InputDimension} inputs but {inputs.Count} input expressions were given");
        var variables = inputs[0].Variables;
        var splines = SplineEdges(network);
        if (splines.Count > 0)
            throw new InvalidOperationException(
                $"{splines.Count} edge(s) are still splines, e.g. {string.Join(", ", splines.Take(5))}; fix them to symbolic functions or prune them first");

        IReadOnlyList<Expr> nodes = inputs.Select(e => e.Simplified()).ToArray();
        var zero = Expr.Constant(0, variables);
        foreach (var layer in network.Layers)
        {
            var mask = Mask(layer);
            var next = new Expr[layer.Outputs];
            for (int j = 0; j < layer.Outputs; j++)
            {
                var sum = zero;
                for (int i = 0; i < layer.Inputs; i++)
                {
                    if (mask[i, j] == 0) continue;
                    var (a, b, c, d) = layer.Symbolic.AffineOf(i, j);
                    var fit = new SymbolicFit(layer.Symbolic.FunctionOf(i, j)!, a, b, c, d, double.NaN);
                    sum += fit.ToExpression(nodes[i]);
                }
                next[j] = sum.Simplified();
            }
            nodes = next;
        }
        return nodes;
    }

    /// <summary>‖f − u*‖₂ / ‖u*‖₂ of <paramref name="formula"/> at <paramref name="points"/> [N, D] against <paramref name="exact"/> [N].</summary>
    public static double RelativeL2(Expr formula, Tensor points, Tensor exact)
    {
        ArgumentNullException.ThrowIfNull(formula);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var values = formula.Evaluate(points);
        if (!values.shape.SequenceEqual(exact.shape))
            throw new ArgumentException($"formula values [{string.Join(", ", values.shape)}] and exact values [{string.Join(", ", exact.shape)}] differ in shape");
        var diff = (values - exact).to(ScalarType.Float64);
        return Math.Sqrt(diff.square().sum().item<double>() / exact.to(ScalarType.Float64).square().sum().item<double>());
    }

    private static double[,] Mask(KanLayer layer)
    {
        using var noGrad = no_grad();
        var flat = layer.Mask.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var mask = new double[layer.Inputs, layer.Outputs];
        for (int i = 0; i < layer.Inputs; i++)
            for (int j = 0; j < layer.Outputs; j++) mask[i, j] = flat[i * layer.Outputs + j];
        return mask;
    }
}
