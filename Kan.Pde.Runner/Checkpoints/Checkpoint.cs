using Kan.Pde.Core.Training.Checkpoints;

namespace Kan.Pde.Runner.Checkpoints;

/// <summary>What the command line adds to a training state: which run it belongs to and how that run was steered.</summary>
/// <param name="Name">The run name.</param>
/// <param name="SpecSha256">SHA-256 of the spec text the run was started from; a resume must use the same spec.</param>
/// <param name="Reason">Why it was written: "periodic", "grid_change" or "interrupt" (in memory also "stage_start").</param>
/// <param name="MultiStart">The multi-start's outcome, when the run had one (it is not repeated on resume).</param>
/// <param name="LearningRateScales">Per stage, the factor rollbacks have applied to its learning rate.</param>
/// <param name="Rollbacks">Rollbacks so far.</param>
public sealed record CheckpointInfo(string Name, string SpecSha256, string Reason, MultiStartInfo? MultiStart,
    IReadOnlyList<double> LearningRateScales, int Rollbacks);

/// <summary>A multi-start's outcome: the kept candidate, every trial's final loss, and the cost of the trials.</summary>
public sealed record MultiStartInfo(int Kept, IReadOnlyList<double> TrialLosses, long Evaluations, double Seconds);

/// <summary>One checkpoint: a training state and the run information that goes with it.</summary>
public sealed record Checkpoint(TrainingState State, CheckpointInfo Info);
