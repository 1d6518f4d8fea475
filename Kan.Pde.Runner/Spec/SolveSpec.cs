using static TorchSharp.torch;

namespace Kan.Pde.Runner.Spec;

/// <summary>A complete, validated solve request as read from a YAML spec by <see cref="SpecLoader"/>.</summary>
/// <param name="Name">Run name ([A-Za-z0-9._-]+).</param>
/// <param name="DType">Float64 or Float32.</param>
/// <param name="Device">"cpu", "cuda" or "cuda:N" (not checked against the hardware here).</param>
/// <param name="Threads">CPU threads for torch; null leaves torch's default.</param>
/// <param name="Output">Output directory, default results/NAME.</param>
/// <param name="SourceFile">The file name the spec was read from (for messages).</param>
public sealed record SolveSpec(
    string Name,
    ProblemSpec Problem,
    ModelSpec Model,
    CollocationSpec Collocation,
    LossSpec Loss,
    IReadOnlyList<StageSpec> Schedule,
    EvaluationSpec Evaluation,
    ScalarType DType,
    string Device,
    int Seed,
    int? Threads,
    string Output,
    string SourceFile)
{
    /// <summary>Multi-start initialization, or null for a single start.</summary>
    public RestartSpec? Restarts { get; init; }

    /// <summary>When to save checkpoints, or null for none.</summary>
    public CheckpointSpec? Checkpoint { get; init; }

    /// <summary>What counts as divergence and what to do then.</summary>
    public DivergenceSpec Divergence { get; init; } = DivergenceSpec.Default;

    /// <summary>Interpretation (snapping, formula) after training, or null.</summary>
    public InterpretSpec? Interpret { get; init; }
}

/// <summary>
/// Multi-start: <paramref name="Candidates"/> networks from different initial weights each train
/// <paramref name="Steps"/> steps of the first stage; the one with the lowest loss runs the schedule.
/// </summary>
public sealed record RestartSpec(int Candidates, int Steps);
