using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// A strategy the <see cref="Trainer"/> consults to change where and how the loss is evaluated while training:
/// which collocation points are in use, how the loss terms combine into the total (per-point weights,
/// balanced term weights), and what changes after each step (resampling, weight updates).
/// </summary>
public interface ITrainingAdaptation
{
    /// <summary>The collocation points to use now.</summary>
    CollocationSet Points { get; }

    /// <summary>The training loss from the terms of one evaluation (a scalar in the graph); called in every evaluation.</summary>
    Tensor Total(IReadOnlyList<LossTerm> terms, LossWeights weights);

    /// <summary>Called after every optimizer step with its global index; may replace <see cref="Points"/> or update weights.</summary>
    void AfterStep(int step);
}
