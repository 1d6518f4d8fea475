namespace Kan.Pde.Runner.Spec;

/// <summary>Optimizer of a training stage.</summary>
public enum OptimizerKind { Lbfgs, Adam }

/// <summary>Line search used by L-BFGS.</summary>
public enum LineSearch { StrongWolfe, None }

/// <summary>
/// One stage of the training schedule: <paramref name="Steps"/> optimizer steps (for L-BFGS one step is
/// one optimizer call of up to <see cref="LbfgsSpec.MaxIterations"/> iterations).
/// </summary>
/// <param name="Grid">KAN only: grid size for this stage (refined from the previous one); null keeps the current grid.</param>
/// <param name="GridUpdateAt">KAN only: step indices (0-based, increasing) at which the grid adapts to the samples.</param>
/// <param name="Lbfgs">Set exactly when <paramref name="Optimizer"/> is L-BFGS.</param>
public sealed record StageSpec(
    OptimizerKind Optimizer,
    int Steps,
    double LearningRate,
    int? Grid,
    IReadOnlyList<int> GridUpdateAt,
    LbfgsSpec? Lbfgs)
{
    /// <summary>Adam after Adam: keep the previous stage's moments (mapped onto an extended grid) instead of starting from zero.</summary>
    public bool CarryState { get; init; }
}

/// <summary>L-BFGS settings (the defaults match pykan: history 10, 20 iterations, 25 evaluations, tolerances 1e-32, strong Wolfe).</summary>
public sealed record LbfgsSpec(
    int History,
    int MaxIterations,
    int MaxEvaluations,
    double ToleranceGrad,
    double ToleranceChange,
    LineSearch LineSearch);
