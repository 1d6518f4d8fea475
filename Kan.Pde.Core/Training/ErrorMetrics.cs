using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>Errors of one output field against its reference.</summary>
/// <param name="Name">Output name, e.g. "u" or "p".</param>
/// <param name="RelativeL2">‖u_k − u*_k‖ / ‖u*_k‖ (after removing the mean difference for gauge outputs).</param>
/// <param name="MaxAbsError">max |u_k − u*_k|.</param>
/// <param name="L2Squared">mean (u_k − u*_k)².</param>
/// <param name="UpToConstant">True when the constant offset was removed before measuring.</param>
public sealed record ComponentError(string Name, double RelativeL2, double MaxAbsError, double L2Squared, bool UpToConstant);

/// <summary>
/// Errors of a network against an exact solution on a set of points: relative L2 = ‖u − u*‖/‖u*‖, max
/// |u − u*|, the paper's L²-squared error mean (u − u*)², and the H¹-squared error = L²² + mean |∇u − ∇u*|²
/// (its gradient part reported separately; NaN when the reference has no gradient), over all outputs
/// together and per output. Outputs defined only up to a constant (pressure) are compared after removing
/// the mean difference.
/// </summary>
public sealed record ErrorMetrics(double RelativeL2, double MaxAbsError, double L2Squared, double H1Squared, double H1GradientPart,
    IReadOnlyList<ComponentError> Components)
{
    /// <summary>Computes all metrics (one forward-mode pass with gradients when the reference has them).</summary>
    public static ErrorMetrics Compute(INetwork network, IExactSolution exact, Tensor points,
        IReadOnlyList<string>? outputNames = null, IReadOnlyCollection<int>? upToConstant = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var referenceGradient = exact.Gradient(points);
        var field = new ForwardModeEvaluator(network).Evaluate(points, referenceGradient is null ? FieldNeeds.Value : FieldNeeds.Gradient);
        var reference = exact.Value(points);
        var diff = RemoveGauge(field.Value - reference, upToConstant);
        double l2 = diff.square().mean().ToDouble();
        double norm = reference.square().mean().ToDouble();
        double gradPart = referenceGradient is null ? double.NaN : (field.Gradient! - referenceGradient).square().sum(1).mean().ToDouble();
        int m = (int)diff.shape[1];
        var components = new ComponentError[m];
        for (int k = 0; k < m; k++)
        {
            var dk = diff.select(1, k);
            var rk = reference.select(1, k);
            if (upToConstant?.Contains(k) == true) rk = rk - rk.mean();
            double l2k = dk.square().mean().ToDouble();
            components[k] = new ComponentError(outputNames is not null && k < outputNames.Count ? outputNames[k] : $"u{k}",
                Math.Sqrt(l2k / rk.square().mean().ToDouble()), dk.abs().max().ToDouble(), l2k, upToConstant?.Contains(k) == true);
        }
        return new ErrorMetrics(
            RelativeL2: Math.Sqrt(l2 / norm),
            MaxAbsError: diff.abs().max().ToDouble(),
            L2Squared: l2,
            H1Squared: l2 + gradPart,
            H1GradientPart: gradPart,
            Components: components);
    }

    /// <summary>Relative L2 over all outputs only (one plain forward pass).</summary>
    public static double RelativeL2Of(INetwork network, Tensor points, Tensor exactValues, IReadOnlyCollection<int>? upToConstant = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var diff = RemoveGauge(network.Forward(points) - exactValues, upToConstant);
        return Math.Sqrt(diff.square().sum().ToDouble() / exactValues.square().sum().ToDouble());
    }

    /// <summary>Subtracts the mean difference from the columns that are fixed only up to a constant.</summary>
    private static Tensor RemoveGauge(Tensor diff, IReadOnlyCollection<int>? upToConstant)
    {
        if (upToConstant is null || upToConstant.Count == 0) return diff;
        var columns = Enumerable.Range(0, (int)diff.shape[1])
            .Select(k => upToConstant.Contains(k) ? diff.select(1, k) - diff.select(1, k).mean() : diff.select(1, k)).ToArray();
        return stack(columns, 1);
    }
}
