namespace Kan.Pde.Core.Training;

/// <summary>Which optimizer a stage uses.</summary>
public enum OptimizerKind
{
    /// <summary>L-BFGS (strong-Wolfe line search by default).</summary>
    Lbfgs,
    /// <summary>Adam.</summary>
    Adam,
}

/// <summary>
/// One stage of a training schedule: an optimizer run for a number of steps, optionally on a new
/// (extended) spline grid, with adaptive grid updates at chosen steps. A fresh optimizer starts each stage.
/// </summary>
/// <param name="Optimizer">Optimizer kind.</param>
/// <param name="Steps">Optimizer steps (one L-BFGS step = up to MaxIterations iterations).</param>
/// <param name="GridSize">Grid size for this stage (KAN only); null keeps the current grid.</param>
/// <param name="GridUpdateAt">Steps (0-based within the stage) before which the grid is updated from the interior points.</param>
/// <param name="Lbfgs">L-BFGS settings when <paramref name="Optimizer"/> is L-BFGS.</param>
/// <param name="Adam">Adam settings when <paramref name="Optimizer"/> is Adam.</param>
public sealed record ScheduleStage(OptimizerKind Optimizer, int Steps, int? GridSize, IReadOnlyList<int> GridUpdateAt,
    LbfgsOptions? Lbfgs = null, AdamOptions? Adam = null)
{
    /// <summary>
    /// Adam only, after an Adam stage: start from the previous stage's moments and step counts instead of zero, with
    /// the moments of spline coefficients carried onto an extended grid the way the coefficients are.
    /// </summary>
    public bool CarryAdamState { get; init; }
}
