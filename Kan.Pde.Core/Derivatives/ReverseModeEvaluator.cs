using Kan.Pde.Core.Networks;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Derivatives;

/// <summary>
/// Derivatives by nested reverse-mode autograd (the reference): one backward pass per output for the
/// gradient and one more per input dimension for each pure second derivative, all with create_graph
/// so the loss stays differentiable in the parameters.
/// </summary>
public sealed class ReverseModeEvaluator : IFieldEvaluator
{
    private readonly INetwork _network;

    /// <summary>Evaluates <paramref name="network"/>.</summary>
    public ReverseModeEvaluator(INetwork network) => _network = network;

    /// <inheritdoc />
    public string Mode => "reverse";

    /// <inheritdoc />
    public Field Evaluate(Tensor points, FieldNeeds needs)
    {
        bool wantGradient = needs.HasFlag(FieldNeeds.Gradient);
        bool wantSecond = needs.HasFlag(FieldNeeds.SecondDiagonal);
        if (!wantGradient) return new Field(_network.Forward(points), null, null);

        var x = points.detach().requires_grad_(true);
        var u = _network.Forward(x);
        int m = (int)u.shape[1], D = (int)x.shape[1];
        var gradients = new List<Tensor>();
        var seconds = new List<Tensor>();
        for (int k = 0; k < m; k++)
        {
            var g = autograd.grad(new[] { u.select(1, k).sum() }, new[] { x }, retain_graph: true, create_graph: true)[0]; // [N, D]
            gradients.Add(g);
            if (!wantSecond) continue;
            var perDimension = new List<Tensor>();
            for (int d = 0; d < D; d++)
            {
                var gg = autograd.grad(new[] { g.select(1, d).sum() }, new[] { x }, retain_graph: true, create_graph: true)[0];
                perDimension.Add(gg.select(1, d));
            }
            seconds.Add(stack(perDimension, 1));                                                                      // [N, D]
        }
        return new Field(u, stack(gradients, 2), wantSecond ? stack(seconds, 2) : null);
    }
}
