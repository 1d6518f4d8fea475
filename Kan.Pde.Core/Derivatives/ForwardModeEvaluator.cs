using Kan.Pde.Core.Networks;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Derivatives;

/// <summary>
/// Derivatives by forward (Taylor) mode: the jet (value, gradient, pure second derivatives) is pushed
/// through the layers with closed-form spline and activation derivatives, so a Laplacian costs one
/// forward pass and the parameter gradient one ordinary backward pass.
/// </summary>
public sealed class ForwardModeEvaluator : IFieldEvaluator
{
    private readonly INetwork _network;

    /// <summary>Evaluates <paramref name="network"/>.</summary>
    public ForwardModeEvaluator(INetwork network) => _network = network;

    /// <inheritdoc />
    public string Mode => "forward";

    /// <inheritdoc />
    public Field Evaluate(Tensor points, FieldNeeds needs)
    {
        int order = needs.HasFlag(FieldNeeds.SecondDiagonal) ? 2 : needs.HasFlag(FieldNeeds.Gradient) ? 1 : 0;
        var jet = _network.Propagate(Jet.Input(points, order));
        return new Field(jet.Value, jet.Gradient, jet.Second);
    }
}
