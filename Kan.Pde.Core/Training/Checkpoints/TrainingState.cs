using Kan.Pde.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training.Checkpoints;

/// <summary>
/// A complete snapshot of a training run between two steps: position in the schedule, history, counters, the
/// network (parameters and grids), the problem's own parameters, the optimizer's state and the state of torch's
/// default random generator. <see cref="Trainer.Run(IReadOnlyList{ScheduleStage}, TrainingState?)"/> continues from it
/// and, on the CPU, ends bit-identically where the run it was taken from would have ended.
/// </summary>
public sealed record TrainingState(
    int Stage,
    int StepInStage,
    int Step,
    IReadOnlyList<StepRecord> History,
    IReadOnlyList<GridChange> GridChanges,
    long Evaluations,
    double Seconds,
    NetworkState Network,
    IReadOnlyList<TensorData> ProblemParameters,
    OptimizerState Optimizer,
    TensorData RandomState)
{
    /// <summary>Captures the run at <paramref name="cursor"/>.</summary>
    public static TrainingState Capture(TrainingCursor cursor, INetwork network, IPdeProblem problem) => new(
        cursor.Stage, cursor.StepInStage, cursor.Step, cursor.History.ToArray(), cursor.GridChanges.ToArray(), cursor.Evaluations,
        cursor.Seconds, NetworkState.Capture(network), problem.TrainableParameters.Select(p => TensorData.From(p)).ToArray(),
        OptimizerState.Capture(cursor.Optimizer), TensorData.From(torch.random.get_rng_state()));

    /// <summary>
    /// Puts the network, the problem's parameters and the random generator back as captured (the optimizer state
    /// goes into the stage's new optimizer, which the trainer does).
    /// </summary>
    public void Restore(INetwork network, IPdeProblem problem)
    {
        var own = problem.TrainableParameters;
        if (own.Count != ProblemParameters.Count)
            throw new InvalidDataException($"the saved state has {ProblemParameters.Count} problem parameters, the problem {own.Count}");
        for (int i = 0; i < own.Count; i++)
        {
            ProblemParameters[i].Validate($"problem parameter {i}");
            if (!own[i].shape.SequenceEqual(ProblemParameters[i].Shape) || own[i].dtype != ProblemParameters[i].DType)
                throw new InvalidDataException($"problem parameter {i} does not match the saved one");
        }
        RandomState.Validate("random state");
        Network.Restore(network);
        NetworkState.CopyInto(own, ProblemParameters);
        using var rng = RandomState.ToTensor();
        torch.random.set_rng_state(rng);
    }
}
