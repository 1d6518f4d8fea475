using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Errors of a network against an exact solution on a set of points (all outputs together):
/// relative L2 = ‖u − u*‖/‖u*‖, max |u − u*|, the paper's L²-squared error mean (u − u*)², and the
/// H¹-squared error = L²² + mean |∇u − ∇u*|² (its gradient part reported separately).
/// </summary>
public sealed record ErrorMetrics(double RelativeL2, double MaxAbsError, double L2Squared, double H1Squared, double H1GradientPart)
{
    /// <summary>Computes all metrics (one forward-mode pass with gradients).</summary>
    public static ErrorMetrics Compute(INetwork network, IExactSolution exact, Tensor points)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var field = new ForwardModeEvaluator(network).Evaluate(points, FieldNeeds.Gradient);
        var reference = exact.Value(points);
        var diff = field.Value - reference;
        var gradDiff = field.Gradient! - exact.Gradient(points);
        double l2 = diff.square().mean().ToDouble();
        double gradPart = gradDiff.square().sum(1).mean().ToDouble();
        double norm = reference.square().mean().ToDouble();
        return new ErrorMetrics(
            RelativeL2: Math.Sqrt(l2 / norm),
            MaxAbsError: diff.abs().max().ToDouble(),
            L2Squared: l2,
            H1Squared: l2 + gradPart,
            H1GradientPart: gradPart);
    }

    /// <summary>Relative L2 only (one plain forward pass).</summary>
    public static double RelativeL2Of(INetwork network, Tensor points, Tensor exactValues)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var diff = network.Forward(points) - exactValues;
        return Math.Sqrt(diff.square().sum().ToDouble() / exactValues.square().sum().ToDouble());
    }
}
