using System.Diagnostics;
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
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

    /// <summary>Called after every step.</summary>
    public event Action<StepRecord>? StepCompleted;

    /// <summary>Runs all stages.</summary>
    public TrainingResult Run(IReadOnlyList<ScheduleStage> stages)
    {
        var history = new List<StepRecord>();
        var gridChanges = new List<GridChange>();
        var clock = Stopwatch.StartNew();
        long evaluations = 0;
        int step = 0;
        var lastValues = new Dictionary<string, double>();
        double lastTotal = double.NaN;

        for (int s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            var grid = _network is IAdaptiveGrid { GridSize: > 0 } adaptive ? adaptive : null;
            if (stage.GridSize is int g && grid is not null && g != grid.GridSize)
            {
                gridChanges.Add(new GridChange(step, grid.GridSize, g));
                grid.ExtendGrid(g, _points.Interior);
            }
            using var optimizer = CreateOptimizer(stage);
            var updates = new HashSet<int>(stage.GridUpdateAt);
            for (int k = 0; k < stage.Steps; k++, step++)
            {
                if (grid is not null && updates.Contains(k)) grid.UpdateGridFromSamples(_points.Interior);
                int currentStep = step;
                Tensor Closure()
                {
                    foreach (var p in _parameters) p.grad?.zero_();
                    using var scope = NewDisposeScope();
                    var terms = _problem.Losses(_evaluator, _points);
                    if (Regularization is { } regularization) terms = terms.Append(regularization(_network, _points)).ToArray();
                    var total = LossTerm.Total(terms, _weights);
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
                    new Dictionary<string, double>(lastValues), error, clock.Elapsed.TotalSeconds, evaluations);
                history.Add(record);
                StepCompleted?.Invoke(record);
            }
        }
        return new TrainingResult(history, gridChanges, clock.Elapsed.TotalSeconds, evaluations);
    }

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
