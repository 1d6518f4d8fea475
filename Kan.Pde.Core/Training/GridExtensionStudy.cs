using Kan.Pde.Core.Networks;

namespace Kan.Pde.Core.Training;

/// <summary>Train and held-out errors after one optimizer step of a <see cref="GridExtensionStudy"/>.</summary>
/// <param name="Step">Global step index (0-based, across grids).</param>
/// <param name="GridSize">The grid size G the step trained at.</param>
/// <param name="TrainRmse">RMSE on the training samples after the step.</param>
/// <param name="TestRmse">RMSE on the held-out samples after the step.</param>
public sealed record GridExtensionStep(int Step, int GridSize, double TrainRmse, double TestRmse);

/// <summary>The state at the end of one grid's stage.</summary>
/// <param name="GridSize">G.</param>
/// <param name="Parameters">Trainable parameters at this G.</param>
/// <param name="TrainRmse">RMSE on the training samples.</param>
/// <param name="TestRmse">RMSE on the held-out samples.</param>
/// <param name="TestMedianRms">√(median squared error) on the held-out samples: the error of a typical point, which
/// a few badly fitted points (where samples are sparse) cannot dominate.</param>
public sealed record GridEnd(int GridSize, long Parameters, double TrainRmse, double TestRmse, double TestMedianRms);

/// <summary>What a <see cref="GridExtensionStudy"/> measured.</summary>
/// <param name="Steps">Per step, in order.</param>
/// <param name="Ends">Per grid, in order.</param>
/// <param name="Seconds">Wall seconds of training (the per-step error measurements included).</param>
/// <param name="Evaluations">Loss evaluations of the optimizer.</param>
public sealed record GridExtensionResult(IReadOnlyList<GridExtensionStep> Steps, IReadOnlyList<GridEnd> Ends, double Seconds, long Evaluations);

/// <summary>
/// The KAN paper's grid-extension experiment (§2.4, Fig. 2.3): a KAN regresses labelled samples with L-BFGS on a
/// sequence of ever finer grids, each stage starting with a grid extension (least-squares refit of the splines onto
/// the finer grid); after every step the train and held-out RMSE are measured, so the staircase of the train error
/// and the U shape of the held-out error show step by step.
/// </summary>
public static class GridExtensionStudy
{
    /// <summary>
    /// One L-BFGS stage of <paramref name="stepsPerGrid"/> steps per grid size; the first stage adapts the grid to the
    /// samples before the steps in <paramref name="firstStageGridUpdates"/> (later stages rely on the extension, which
    /// places knots from the samples wherever they leave the old grid).
    /// </summary>
    public static IReadOnlyList<ScheduleStage> Schedule(IReadOnlyList<int> grids, int stepsPerGrid, IReadOnlyList<int> firstStageGridUpdates,
        LbfgsOptions? lbfgs = null)
    {
        if (grids.Count == 0) throw new ArgumentException("at least one grid size is needed");
        if (stepsPerGrid < 1) throw new ArgumentOutOfRangeException(nameof(stepsPerGrid), "at least one step per grid is needed");
        for (int i = 0; i < grids.Count; i++)
        {
            if (grids[i] < 1) throw new ArgumentException($"grid sizes must be at least 1, got {grids[i]}");
            if (i > 0 && grids[i] <= grids[i - 1]) throw new ArgumentException("grid sizes must increase (extension only refines)");
        }
        var updates = firstStageGridUpdates.Where(k => k < stepsPerGrid).ToArray();
        return grids.Select((g, i) => new ScheduleStage(OptimizerKind.Lbfgs, stepsPerGrid, g, i == 0 ? updates : Array.Empty<int>(), lbfgs)).ToArray();
    }

    /// <summary>
    /// Trains <paramref name="network"/> (mean-square loss, full batch) through <paramref name="stages"/> on
    /// <paramref name="train"/>, measuring both errors after every step; <paramref name="progress"/> sees each step.
    /// </summary>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite.</exception>
    public static GridExtensionResult Run(KanNetwork network, RegressionSamples train, RegressionSamples test,
        IReadOnlyList<ScheduleStage> stages, Action<GridExtensionStep>? progress = null)
    {
        var steps = new List<GridExtensionStep>();
        var ends = new List<GridEnd>();
        var fit = new DataFit(network, train.Inputs, train.Targets, SupervisedLoss.MeanSquare);
        var lastStepOfStage = new HashSet<int>();
        for (int s = 0, total = 0; s < stages.Count; s++) lastStepOfStage.Add((total += stages[s].Steps) - 1);
        fit.StepCompleted += record =>
        {
            var step = new GridExtensionStep(record.Step, record.GridSize, train.Rmse(network), test.Rmse(network));
            steps.Add(step);
            if (lastStepOfStage.Contains(record.Step))
                ends.Add(new GridEnd(network.GridSize, network.ParameterCount, step.TrainRmse, step.TestRmse, MedianRms(test.SquaredErrors(network))));
            progress?.Invoke(step);
        };
        var result = fit.Run(stages);
        return new GridExtensionResult(steps, ends, result.Seconds, result.Evaluations);
    }

    /// <summary>
    /// Multi-start: builds a network for each seed in <paramref name="seeds"/>, trains it for the first
    /// <paramref name="trialSteps"/> steps of <paramref name="firstStage"/> and returns the index of the one with the
    /// lowest train loss, with every candidate's train RMSE (∞ for a diverged one). Small KANs such as [2,1,1] fall into
    /// a basin whose error stalls near the function's own spread, depending on their initial weights only; a short
    /// trial tells such starts apart. The caller rebuilds the chosen network from its seed, so the study's record
    /// starts at step 0.
    /// </summary>
    public static (int Best, double[] TrialRmse) ChooseInitialization(Func<int, KanNetwork> create, IReadOnlyList<int> seeds,
        RegressionSamples train, ScheduleStage firstStage, int trialSteps)
    {
        if (seeds.Count == 0) throw new ArgumentException("at least one seed is needed");
        if (trialSteps < 1) throw new ArgumentOutOfRangeException(nameof(trialSteps));
        var trial = firstStage with { Steps = Math.Min(trialSteps, firstStage.Steps), GridUpdateAt = firstStage.GridUpdateAt.Where(k => k < trialSteps).ToArray() };
        var chosen = MultiStart.Select(seeds.Select(s => (INetwork)create(s)).ToArray(), candidate =>
        {
            var result = new DataFit(candidate, train.Inputs, train.Targets, SupervisedLoss.MeanSquare).Run([trial]);
            return (train.Rmse(candidate), result.Evaluations);
        });
        chosen.Best.Dispose();   // the caller rebuilds it from its seed
        return (chosen.BestIndex, chosen.TrialLosses.ToArray());
    }

    /// <summary>√(median of the squared errors).</summary>
    public static double MedianRms(IReadOnlyList<double> squaredErrors)
    {
        if (squaredErrors.Count == 0) throw new ArgumentException("no errors");
        var sorted = squaredErrors.OrderBy(e => e).ToArray();
        int n = sorted.Length;
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return Math.Sqrt(median);
    }
}
