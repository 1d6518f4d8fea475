namespace Kan.Pde.Runner.Spec;

/// <summary>
/// <c>checkpoint: {every_steps: N, every_minutes: M, folder: DIR, keep: K}</c>: save the training state every N steps
/// and/or every M minutes, and at every grid change, into DIR (default <c>OUTPUT/checkpoints</c>), keeping the K newest.
/// </summary>
/// <param name="EverySteps">Steps between checkpoints, or null.</param>
/// <param name="EveryMinutes">Minutes between checkpoints, or null.</param>
/// <param name="Folder">Checkpoint folder, or null for <c>OUTPUT/checkpoints</c>.</param>
/// <param name="Keep">How many checkpoint files to keep (the newest).</param>
public sealed record CheckpointSpec(int? EverySteps, double? EveryMinutes, string? Folder, int Keep)
{
    /// <summary>The schedule when the spec names none: every 10 minutes (and at grid changes).</summary>
    public static CheckpointSpec Default { get; } = new(null, 10, null, 3);
}

/// <summary>What happens when training diverges.</summary>
public enum DivergenceAction
{
    /// <summary>Stop with exit code 3; checkpoints written so far stay.</summary>
    Stop,
    /// <summary>Go back to the last good state and continue with a lower learning rate.</summary>
    Rollback,
}

/// <summary>
/// <c>on_divergence: stop | rollback</c> with <c>divergence: {loss_growth, rollbacks, learning_rate_factor}</c>: a
/// non-finite loss term, gradient or parameter, or a total loss above <paramref name="LossGrowth"/> times the lowest so
/// far, is divergence; a rollback restores the last good state and multiplies the diverged stage's learning rate by
/// <paramref name="LearningRateFactor"/>, at most <paramref name="Rollbacks"/> times per run.
/// </summary>
public sealed record DivergenceSpec(DivergenceAction Action, double LossGrowth, int Rollbacks, double LearningRateFactor)
{
    /// <summary>Stop at the first divergence; explosion threshold 10⁶.</summary>
    public static DivergenceSpec Default { get; } = new(DivergenceAction.Stop, 1e6, 3, 0.1);
}
