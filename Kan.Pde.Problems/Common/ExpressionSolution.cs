using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Common;

/// <summary>An exact solution given by one expression per output; gradients by symbolic differentiation.</summary>
public sealed class ExpressionSolution : IExactSolution
{
    private readonly IReadOnlyList<Expr> _components;
    private readonly Expr[][] _gradients;

    /// <summary>Wraps expressions u_k(x) in the domain's variables.</summary>
    public ExpressionSolution(IReadOnlyList<Expr> components, int dimension)
    {
        _components = components;
        _gradients = components.Select(c => Enumerable.Range(0, dimension).Select(c.Derivative).ToArray()).ToArray();
    }

    /// <summary>The component expressions.</summary>
    public IReadOnlyList<Expr> Components => _components;

    /// <inheritdoc />
    public Tensor Value(Tensor points) => stack(_components.Select(c => c.Evaluate(points)).ToArray(), 1);

    /// <inheritdoc />
    public Tensor Gradient(Tensor points) =>
        stack(_gradients.Select(g => stack(g.Select(d => d.Evaluate(points)).ToArray(), 1)).ToArray(), 2);
}
