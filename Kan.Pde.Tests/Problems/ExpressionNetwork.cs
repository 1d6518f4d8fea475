using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Problems;

/// <summary>
/// A parameter-free "network" whose outputs are given expressions, so a problem's residuals can be evaluated on a
/// known field through the framework's own derivative machinery: <see cref="Forward"/> is built from tensor
/// operations (reverse mode differentiates it by autograd), and <see cref="Propagate"/> returns the jet from the
/// expressions' symbolic derivatives (forward mode).
/// </summary>
internal sealed class ExpressionNetwork : INetwork
{
    private readonly Expr[] _outputs;
    private readonly Expr[][] _first, _second;

    public ExpressionNetwork(params Expr[] outputs)
    {
        _outputs = outputs;
        int D = outputs[0].Variables.Count;
        _first = outputs.Select(e => Enumerable.Range(0, D).Select(e.Derivative).ToArray()).ToArray();
        _second = _first.Select(g => g.Select((gd, d) => gd.Derivative(d)).ToArray()).ToArray();
    }

    public int InputDimension => _outputs[0].Variables.Count;

    public int OutputDimension => _outputs.Length;

    public long ParameterCount => 0;

    public IReadOnlyList<Parameter> TrainableParameters => Array.Empty<Parameter>();

    public string Description => "expressions";

    public Tensor Forward(Tensor points) => stack(_outputs.Select(e => e.Evaluate(points)).ToArray(), 1);

    public Jet Propagate(Jet input)
    {
        if (!input.IsInput) throw new NotSupportedException("an expression network takes the input coordinates themselves");
        var x = input.Value;
        var value = Forward(x);
        Tensor Derivatives(Expr[][] d) => stack(d.Select(perOutput => stack(perOutput.Select(e => e.Evaluate(x)).ToArray(), 1)).ToArray(), 2);
        return new Jet(value, input.Order >= 1 ? Derivatives(_first) : null, input.Order >= 2 ? Derivatives(_second) : null) { Order = input.Order };
    }

    public void Dispose() { }
}
