using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Line search for a step α along a descent direction d that satisfies the strong Wolfe conditions
/// φ(α) ≤ φ(0) + c₁ α φ'(0) and |φ'(α)| ≤ c₂ |φ'(0)|, with φ(α) = f(x₀ + α d)
/// (Nocedal &amp; Wright, Alg. 3.5 for bracketing, Alg. 3.6 for zoom, both with cubic interpolation).
/// </summary>
public sealed class StrongWolfeLineSearch
{
    /// <summary>Sufficient-decrease constant c₁.</summary>
    public double C1 { get; init; } = 1e-4;

    /// <summary>Curvature constant c₂.</summary>
    public double C2 { get; init; } = 0.9;

    /// <summary>Maximum objective evaluations per search.</summary>
    public int MaxEvaluations { get; init; } = 25;

    /// <summary>The zoom stops once the bracket width times max|d| drops below this.</summary>
    public double ToleranceChange { get; init; } = 1e-9;

    // The zoom keeps trial points this fraction of the bracket width away from either end: the cubic tends to
    // propose points next to an end that has been approached already, which would shrink the bracket very slowly.
    private const double InteriorMargin = 0.1;

    // Upper limit of one extrapolation, as a multiple of the current trial step.
    private const double ExtrapolationFactor = 10.0;

    private sealed record Trial<TGradient>(double Alpha, double Value, double Slope, TGradient Gradient);

    /// <summary>
    /// Searches along <paramref name="direction"/>.
    /// </summary>
    /// <param name="evaluate">Returns the objective and its flat gradient at x₀ + α·d; each call counts as
    /// one evaluation. The returned gradient must be a fresh tensor (it is handed back to the caller as is).</param>
    /// <param name="direction">Search direction d (flat).</param>
    /// <param name="value0">φ(0).</param>
    /// <param name="gradient0">Flat gradient at x₀.</param>
    /// <param name="slope0">φ'(0) = ∇f(x₀)·d, which must be negative.</param>
    /// <param name="initialStep">First trial step, positive.</param>
    /// <returns>The accepted point. Its gradient is a new tensor even when the step is 0.</returns>
    public LineSearchResult Search(Func<double, (double Value, Tensor Gradient)> evaluate, Tensor direction,
        double value0, Tensor gradient0, double slope0, double initialStep)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        ArgumentNullException.ThrowIfNull(direction);
        ArgumentNullException.ThrowIfNull(gradient0);
        CheckArguments(slope0, initialStep);
        double directionNorm;
        using (var maxAbs = direction.abs().max()) directionNorm = maxAbs.ToDouble();
        var (step, value, gradient, evaluations, satisfied) = Search(alpha =>
        {
            var (v, g) = evaluate(alpha);
            double slope;
            using (var dot = g.dot(direction)) slope = dot.ToDouble();
            return (v, g, slope);
        }, directionNorm, value0, gradient0, slope0, initialStep, g => g.clone());
        return new LineSearchResult(step, value, gradient, evaluations, satisfied);
    }

    /// <summary>
    /// The search on any gradient representation: <paramref name="evaluate"/> returns φ(α), the gradient and the slope
    /// φ'(α) = ∇f·d; <paramref name="directionNorm"/> is max|d|; <paramref name="copy"/> duplicates a gradient (the
    /// result never aliases <paramref name="gradient0"/>).
    /// </summary>
    public (double Step, double Value, TGradient Gradient, int Evaluations, bool SatisfiesStrongWolfe) Search<TGradient>(
        Func<double, (double Value, TGradient Gradient, double Slope)> evaluate, double directionNorm,
        double value0, TGradient gradient0, double slope0, double initialStep, Func<TGradient, TGradient> copy)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        CheckArguments(slope0, initialStep);
        int evaluations = 0;
        Trial<TGradient> Probe(double alpha)
        {
            var (value, gradient, slope) = evaluate(alpha);
            evaluations++;
            return new Trial<TGradient>(alpha, value, slope, gradient);
        }

        // Non-finite values count as too large, so a step into an overflow region is treated like any other
        // failed decrease and the search backs off instead of propagating NaN into the parameters.
        bool FailsDecrease(Trial<TGradient> t) =>
            !double.IsFinite(t.Value) || !double.IsFinite(t.Slope) || t.Value > value0 + C1 * t.Alpha * slope0;
        bool MeetsCurvature(Trial<TGradient> t) => Math.Abs(t.Slope) <= -C2 * slope0;

        var origin = new Trial<TGradient>(0, value0, slope0, gradient0);
        var previous = origin;
        var current = Probe(initialStep);
        Trial<TGradient> low, high = origin;
        bool bracketed = false, satisfied = false;

        // Alg. 3.5: grow the step until [low, high] is known to contain an acceptable point.
        while (true)
        {
            if (FailsDecrease(current) || (evaluations > 1 && current.Value >= previous.Value))
            {
                (low, high, bracketed) = (previous, current, true);
                break;
            }
            if (MeetsCurvature(current))
            {
                (low, satisfied) = (current, true);
                break;
            }
            if (current.Slope >= 0)
            {
                (low, high, bracketed) = (current, previous, true);
                break;
            }
            if (evaluations >= MaxEvaluations)
            {
                // Sufficient decrease holds here and the value went down, so this is the best point seen.
                low = current;
                break;
            }
            double lower = current.Alpha + 0.01 * (current.Alpha - previous.Alpha);
            double upper = ExtrapolationFactor * current.Alpha;
            double next = CubicInterpolation.MinimizerIn(previous.Alpha, previous.Value, previous.Slope,
                current.Alpha, current.Value, current.Slope, lower, upper, fallback: upper);
            previous = current;
            current = Probe(next);
        }

        // Alg. 3.6: shrink the bracket. Invariants: low has the least value among points with sufficient
        // decrease, and low's slope points towards high, so the bracket always holds an acceptable step.
        while (bracketed && !satisfied && evaluations < MaxEvaluations)
        {
            if (Math.Abs(high.Alpha - low.Alpha) * directionNorm < ToleranceChange) break;
            double a = Math.Min(low.Alpha, high.Alpha), b = Math.Max(low.Alpha, high.Alpha);
            double margin = InteriorMargin * (b - a);
            double alpha = CubicInterpolation.MinimizerIn(low.Alpha, low.Value, low.Slope,
                high.Alpha, high.Value, high.Slope, a, b, fallback: 0.5 * (a + b));
            alpha = Math.Clamp(alpha, a + margin, b - margin);

            var trial = Probe(alpha);
            if (FailsDecrease(trial) || trial.Value >= low.Value)
            {
                high = trial;
                continue;
            }
            if (MeetsCurvature(trial))
            {
                (low, satisfied) = (trial, true);
                break;
            }
            if (trial.Slope * (high.Alpha - low.Alpha) >= 0) high = low;
            low = trial;
        }

        var gradient = ReferenceEquals(low, origin) ? copy(gradient0) : low.Gradient;
        return (low.Alpha, low.Value, gradient, evaluations, satisfied);
    }

    private void CheckArguments(double slope0, double initialStep)
    {
        if (!(slope0 < 0)) throw new ArgumentOutOfRangeException(nameof(slope0), slope0, "not a descent direction");
        if (!(initialStep > 0) || !double.IsFinite(initialStep))
            throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, "must be positive and finite");
        if (!(C1 > 0) || !(C1 < C2) || !(C2 < 1)) throw new InvalidOperationException("need 0 < c1 < c2 < 1");
        if (MaxEvaluations < 1) throw new InvalidOperationException("MaxEvaluations must be ≥ 1");
    }
}
