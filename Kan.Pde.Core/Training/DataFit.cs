using System.Diagnostics;
using Kan.Pde.Core.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Supervised training of a network on labelled samples (inputs [N, D] → targets [N, m]), full batch, with
/// the same schedule stages as physics-informed training: per stage an optional grid extension, a fresh
/// optimizer and adaptive grid updates at chosen steps, the grids following the training inputs.
/// </summary>
public sealed class DataFit
{
    private readonly INetwork _network;
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly SupervisedLoss _loss;

    /// <summary>Creates the fit; inputs and targets must have the same number of rows.</summary>
    public DataFit(INetwork network, Tensor inputs, Tensor targets, SupervisedLoss loss)
    {
        if (inputs.dim() != 2 || inputs.shape[1] != network.InputDimension)
            throw new ArgumentException($"inputs must be [N, {network.InputDimension}], got [{string.Join(", ", inputs.shape)}]");
        if (targets.dim() != 2 || targets.shape[0] != inputs.shape[0] || targets.shape[1] != network.OutputDimension)
            throw new ArgumentException($"targets must be [{inputs.shape[0]}, {network.OutputDimension}], got [{string.Join(", ", targets.shape)}]");
        _network = network;
        _inputs = inputs;
        _targets = targets;
        _loss = loss;
    }

    /// <summary>
    /// An extra term added to the loss (e.g. a sparsity regularization), reported as "penalty"; evaluated
    /// inside the closure, so it may depend on the current parameters.
    /// </summary>
    public Func<Tensor>? Penalty { get; init; }

    /// <summary>The tensors to optimize; the network's trainable parameters when not set.</summary>
    public IReadOnlyList<Parameter>? Parameters { get; init; }

    /// <summary>Called after every step; <see cref="StepRecord.RelativeL2"/> is null.</summary>
    public event Action<StepRecord>? StepCompleted;

    /// <summary>The unregularized loss at the current parameters.</summary>
    public double Loss()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return SupervisedLosses.Evaluate(_loss, _network.Forward(_inputs), _targets).ToDouble();
    }

    /// <summary>Runs all stages.</summary>
    public TrainingResult Run(IReadOnlyList<ScheduleStage> stages)
    {
        var history = new List<StepRecord>();
        var gridChanges = new List<GridChange>();
        var clock = Stopwatch.StartNew();
        long evaluations = 0;
        int step = 0;
        var kan = _network as KanNetwork;
        for (int s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            if (stage.GridSize is int g && kan is not null && g != kan.GridSize)
            {
                gridChanges.Add(new GridChange(step, kan.GridSize, g));
                kan.ExtendGrid(g, _inputs);
            }
            // Parameters are read per stage: a grid extension replaces the coefficient tensors' contents.
            var parameters = Parameters ?? _network.TrainableParameters;
            using var optimizer = CreateOptimizer(stage, parameters);
            var updates = new HashSet<int>(stage.GridUpdateAt);
            for (int k = 0; k < stage.Steps; k++, step++)
            {
                if (kan is not null && updates.Contains(k)) kan.UpdateGridFromSamples(_inputs);
                var terms = new Dictionary<string, double>();
                double total = double.NaN;
                int currentStep = step;
                Tensor Closure()
                {
                    foreach (var p in parameters) p.grad = null;   // a missing gradient reads as zero
                    using var scope = NewDisposeScope();
                    var data = SupervisedLosses.Evaluate(_loss, _network.Forward(_inputs), _targets);
                    var sum = data;
                    terms["data"] = data.ToDouble();
                    if (Penalty is not null)
                    {
                        var penalty = Penalty();
                        terms["penalty"] = penalty.ToDouble();
                        sum = sum + penalty;
                    }
                    sum.backward();
                    evaluations++;
                    total = sum.ToDouble();
                    foreach (var (name, value) in terms)
                        if (!double.IsFinite(value)) throw new TrainingDivergedException(name, currentStep, double.IsNaN(value) ? "NaN" : "infinite");
                    return sum.detach().MoveToOuterDisposeScope();
                }
                optimizer.Step(Closure);
                var record = new StepRecord(step, s, kan?.GridSize ?? 0, total, new Dictionary<string, double>(terms), null,
                    clock.Elapsed.TotalSeconds, evaluations);
                history.Add(record);
                StepCompleted?.Invoke(record);
            }
        }
        return new TrainingResult(history, gridChanges, clock.Elapsed.TotalSeconds, evaluations);
    }

    private static IOptimizer CreateOptimizer(ScheduleStage stage, IReadOnlyList<Parameter> parameters) => stage.Optimizer switch
    {
        OptimizerKind.Lbfgs => new Lbfgs(parameters, stage.Lbfgs ?? new LbfgsOptions()),
        OptimizerKind.Adam => new AdamOptimizer(parameters, stage.Adam ?? new AdamOptions()),
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };
}
