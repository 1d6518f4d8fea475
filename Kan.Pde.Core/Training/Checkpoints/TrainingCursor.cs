namespace Kan.Pde.Core.Training.Checkpoints;

/// <summary>
/// Where a run stands at a point it can be resumed from, as the trainer reports it: the next step to take (stage,
/// step within the stage, global step), the live optimizer of the stage, and what the run has produced so far.
/// Observers must copy what they keep: the optimizer and lists go on changing.
/// </summary>
/// <param name="Stage">Stage of the next step.</param>
/// <param name="StepInStage">Index of the next step within that stage (equal to its step count when the stage is done).</param>
/// <param name="Step">Global index of the next step.</param>
/// <param name="Optimizer">The stage's optimizer.</param>
/// <param name="History">Steps taken so far.</param>
/// <param name="GridChanges">Grid extensions so far.</param>
/// <param name="Evaluations">Loss evaluations so far.</param>
/// <param name="Seconds">Training seconds so far.</param>
/// <param name="AtStageStart">True at the start of a stage (after its grid extension, before its first step).</param>
/// <param name="GridChanged">True when the grid was just extended.</param>
public sealed record TrainingCursor(int Stage, int StepInStage, int Step, IOptimizer Optimizer, IReadOnlyList<StepRecord> History,
    IReadOnlyList<GridChange> GridChanges, long Evaluations, double Seconds, bool AtStageStart, bool GridChanged);
