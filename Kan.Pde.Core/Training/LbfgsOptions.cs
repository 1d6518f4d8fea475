namespace Kan.Pde.Core.Training;

/// <summary>How <see cref="Lbfgs"/> chooses the step length along its search direction.</summary>
public enum LbfgsLineSearch
{
    /// <summary>Fixed step equal to the learning rate (after the first, gradient-scaled one).</summary>
    None,

    /// <summary>Bracketing and zoom line search that enforces the strong Wolfe conditions.</summary>
    StrongWolfe,
}

/// <summary>
/// Settings of <see cref="Lbfgs"/>. One <see cref="Lbfgs.Step"/> performs up to <see cref="MaxIterations"/>
/// quasi-Newton iterations, which is what PyTorch and pykan call one step.
/// </summary>
public sealed record LbfgsOptions
{
    /// <summary>Initial trial step length of each iteration (the very first iteration scales it by min(1, 1/|g|₁)).</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>Maximum quasi-Newton iterations per <see cref="Lbfgs.Step"/>.</summary>
    public int MaxIterations { get; init; } = 20;

    /// <summary>
    /// A step stops once it has used at least this many closure calls. It is checked after each line search,
    /// so one step can exceed it by up to one line search's evaluations.
    /// </summary>
    public int MaxEvaluations { get; init; } = 25;

    /// <summary>Stop when the largest gradient component is at most this.</summary>
    public double ToleranceGrad { get; init; } = 1e-7;

    /// <summary>Stop when the loss change, the step's largest component or the descent slope falls below this.</summary>
    public double ToleranceChange { get; init; } = 1e-9;

    /// <summary>Number of (s, y) curvature pairs kept.</summary>
    public int HistorySize { get; init; } = 10;

    /// <summary>Step-length rule.</summary>
    public LbfgsLineSearch LineSearch { get; init; } = LbfgsLineSearch.StrongWolfe;

    /// <summary>
    /// A pair (s, y) enters the history only when y·s exceeds this. PyTorch uses 1e-10; pykan's own copy of the
    /// optimizer uses 1e-32, which keeps pairs even when the loss is already tiny.
    /// </summary>
    public double CurvatureThreshold { get; init; } = 1e-10;

    /// <summary>Sufficient-decrease constant c₁ of the Wolfe conditions.</summary>
    public double SufficientDecrease { get; init; } = 1e-4;

    /// <summary>Curvature constant c₂ of the strong Wolfe conditions.</summary>
    public double CurvatureCondition { get; init; } = 0.9;

    /// <summary>Maximum closure calls of one line search.</summary>
    public int LineSearchMaxEvaluations { get; init; } = 25;

    /// <summary>
    /// The settings pykan uses for every PDE run: strong Wolfe, history 10, and all tolerances (gradient, change,
    /// curvature) 1e-32, so steps practically always run their full 20 iterations.
    /// </summary>
    public static LbfgsOptions Pykan { get; } = new()
    {
        ToleranceGrad = 1e-32,
        ToleranceChange = 1e-32,
        CurvatureThreshold = 1e-32,
    };

    internal void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive and finite");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "must be ≥ 1");
        if (MaxEvaluations < 1) throw new ArgumentOutOfRangeException(nameof(MaxEvaluations), MaxEvaluations, "must be ≥ 1");
        if (HistorySize < 1) throw new ArgumentOutOfRangeException(nameof(HistorySize), HistorySize, "must be ≥ 1");
        if (ToleranceGrad < 0 || double.IsNaN(ToleranceGrad))
            throw new ArgumentOutOfRangeException(nameof(ToleranceGrad), ToleranceGrad, "must be ≥ 0");
        if (ToleranceChange < 0 || double.IsNaN(ToleranceChange))
            throw new ArgumentOutOfRangeException(nameof(ToleranceChange), ToleranceChange, "must be ≥ 0");
        if (double.IsNaN(CurvatureThreshold))
            throw new ArgumentOutOfRangeException(nameof(CurvatureThreshold), CurvatureThreshold, "must be a number");
        if (!(SufficientDecrease > 0) || !(SufficientDecrease < CurvatureCondition) || !(CurvatureCondition < 1))
            throw new ArgumentOutOfRangeException(nameof(CurvatureCondition), "need 0 < c1 < c2 < 1");
        if (LineSearchMaxEvaluations < 1)
            throw new ArgumentOutOfRangeException(nameof(LineSearchMaxEvaluations), LineSearchMaxEvaluations, "must be ≥ 1");
        if (!Enum.IsDefined(LineSearch)) throw new ArgumentOutOfRangeException(nameof(LineSearch), LineSearch, null);
    }
}
