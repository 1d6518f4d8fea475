using System.Diagnostics;
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>What a finished training run produced besides the trained network.</summary>
public sealed record TrainingResult(IReadOnlyList<StepRecord> History, IReadOnlyList<GridChange> GridChanges,
    double Seconds, long Evaluations);

/// <summary>
/// Runs a schedule of stages on a problem: per stage an optional grid extension, a fresh optimizer,
/// adaptive grid updates at the chosen steps, and one closure (loss terms → total → backward) per
/// evaluation. Every step is reported to the observers; non-finite losses stop the run with the term named.
/// </summary>
public sealed class Trainer
{
    private readonly INetwork _network;
    private readonly IPdeProblem _problem;
    private readonly IFieldEvaluator _evaluator;
    private readonly CollocationSet _points;
    private readonly (Tensor Points, Tensor Exact)? _monitor;
    private readonly LossWeights _weights;
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters;

    /// <summary>
    /// Creates a trainer. <paramref name="monitorPoints"/> (with a known exact solution) are where the
    /// relative L2 error is tracked every step; <paramref name="weights"/> multiply the loss terms by name.
    /// </summary>
    public Trainer(INetwork network, IPdeProblem problem, IFieldEvaluator evaluator, CollocationSet points, Tensor? monitorPoints = null,
        LossWeights? weights = null)
    {
        _network = network;
        _problem = problem;
        _evaluator = evaluator;
        _points = points;
        _weights = weights ?? LossWeights.Uniform;
        _parameters = network.TrainableParameters.Concat(problem.TrainableParameters).ToArray();
        if (monitorPoints is not null && problem.Exact is not null)
        {
            using var noGrad = no_grad();
            _monitor = (monitorPoints, problem.Exact.Value(monitorPoints).detach().DetachFromDisposeScope());
        }
    }

    /// <summary>
    /// An extra loss term computed from the network itself at the collocation points (e.g. a KAN's sparsity
    /// regularization), added to the problem's terms in every evaluation; null for none.
    /// </summary>
    public Func<INetwork, CollocationSet, LossTerm>? Regularization { get; init; }

    /// <summary>Changes points and loss weighting during training (resampling, point weights, term balancing); null for none.</summary>
    public ITrainingAdaptation? Adaptation { get; init; }

    /// <summary>Called after every step.</summary>
    public event Action<StepRecord>? StepCompleted;

    /// <summary>
    /// Called wherever the run can be resumed from (see <see cref="TrainingState.Capture"/>): at every stage start,
    /// after any grid extension, and after every step, once <see cref="StepCompleted"/> has returned.
    /// </summary>
    public event Action<TrainingCursor>? ResumePoint;

    /// <summary>Runs all stages, or the rest of them from a captured <paramref name="from"/> state.</summary>
    public TrainingResult Run(IReadOnlyList<ScheduleStage> stages, TrainingState? from = null)
    {
        from?.Restore(_network, _problem);
        var history = new List<StepRecord>(from?.History ?? []);
        var gridChanges = new List<GridChange>(from?.GridChanges ?? []);
        var clock = Stopwatch.StartNew();
        double earlierSeconds = from?.Seconds ?? 0;
        long evaluations = from?.Evaluations ?? 0;
        int step = from?.Step ?? 0;
        var lastValues = new Dictionary<string, double>();
        double lastTotal = double.NaN;

        IOptimizer? previous = null;
        try
        {
            for (int s = from?.Stage ?? 0; s < stages.Count; s++)
            {
                var stage = stages[s];
                bool resumed = from is not null && s == from.Stage;
                var grid = _network is IAdaptiveGrid { GridSize: > 0 } adaptive ? adaptive : null;
                // Adam's moments are captured before the extension changes the coefficients' shape, and restored after.
                using var carried = !resumed && stage.CarryAdamState && stage.Optimizer == OptimizerKind.Adam && previous is AdamOptimizer earlier
                    ? AdamStateTransfer.Capture(earlier, _network, Points.Interior) : null;
                bool extended = false;
                if (!resumed && stage.GridSize is int g && grid is not null && g != grid.GridSize)
                {
                    gridChanges.Add(new GridChange(step, grid.GridSize, g));
                    grid.ExtendGrid(g, Points.Interior);
                    extended = true;
                }
                previous?.Dispose();
                var optimizer = previous = CreateOptimizer(stage);
                if (resumed) from!.Optimizer.RestoreInto(optimizer);
                else
                {
                    carried?.Restore((AdamOptimizer)optimizer);
                    ResumePoint?.Invoke(new TrainingCursor(s, 0, step, optimizer, history, gridChanges, evaluations,
                        earlierSeconds + clock.Elapsed.TotalSeconds, AtStageStart: true, GridChanged: extended));
                }
                var updates = new HashSet<int>(stage.GridUpdateAt);
                for (int k = resumed ? from!.StepInStage : 0; k < stage.Steps; k++, step++)
                {
                    if (grid is not null && updates.Contains(k)) grid.UpdateGridFromSamples(Points.Interior);
                    int currentStep = step;
                    var points = Points;
                    Tensor Closure()
                    {
                        // Dropping the gradients instead of zeroing them saves a kernel per parameter (and the
                        // accumulation into zeros); every reader treats a missing gradient as zero.
                        foreach (var p in _parameters) p.grad = null;
                        using var scope = NewDisposeScope();
                        var terms = _problem.Losses(_evaluator, points);
                        if (Regularization is { } regularization) terms = terms.Append(regularization(_network, points)).ToArray();
                        var total = Adaptation?.Total(terms, _weights) ?? LossTerm.Total(terms, _weights);
                        total.backward();
                        evaluations++;
                        lastValues = terms.ToDictionary(t => t.Name, t => t.MeanSquare.ToDouble());
                        lastTotal = total.ToDouble();
                        CheckFinite(lastValues, lastTotal, currentStep);
                        return total.detach().MoveToOuterDisposeScope();
                    }
                    optimizer.Step(Closure);
                    double? error = _monitor is { } m ? ErrorMetrics.RelativeL2Of(_network, m.Points, m.Exact, _problem.OutputsUpToConstant) : null;
                    var record = new StepRecord(step, s, grid?.GridSize ?? 0, lastTotal,
                        new Dictionary<string, double>(lastValues), error, earlierSeconds + clock.Elapsed.TotalSeconds, evaluations);
                    history.Add(record);
                    StepCompleted?.Invoke(record);
                    Adaptation?.AfterStep(step);
                    ResumePoint?.Invoke(new TrainingCursor(s, k + 1, step + 1, optimizer, history, gridChanges, evaluations,
                        record.Seconds, AtStageStart: false, GridChanged: false));
                }
            }
        }
        finally
        {
            previous?.Dispose();
        }
        return new TrainingResult(history, gridChanges, earlierSeconds + clock.Elapsed.TotalSeconds, evaluations);
    }

    /// <summary>The collocation points in use now.</summary>
    private CollocationSet Points => Adaptation?.Points ?? _points;

    private IOptimizer CreateOptimizer(ScheduleStage stage) => stage.Optimizer switch
    {
        OptimizerKind.Lbfgs => new Lbfgs(_parameters, stage.Lbfgs ?? new LbfgsOptions()),
        OptimizerKind.Adam => new AdamOptimizer(_parameters, stage.Adam ?? new AdamOptions()),
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    private static void CheckFinite(IReadOnlyDictionary<string, double> terms, double total, int step)
    {
        foreach (var (name, value) in terms)
            if (!double.IsFinite(value)) throw new TrainingDivergedException(name, step, double.IsNaN(value) ? "NaN" : "infinite");
        if (!double.IsFinite(total)) throw new TrainingDivergedException("total", step, double.IsNaN(total) ? "NaN" : "infinite");
    }
}
