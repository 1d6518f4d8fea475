using Kan.Pde.Core.Adaptive;
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Interpretation;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Sampling;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Poisson;
using Kan.Pde.Runner.Spec;
using TorchSharp;
using static TorchSharp.torch;
using CoreOptimizer = Kan.Pde.Core.Training.OptimizerKind;
using SpecOptimizer = Kan.Pde.Runner.Spec.OptimizerKind;
using SamplerKind = Kan.Pde.Runner.Spec.SamplerKind;

namespace Kan.Pde.Runner.Setup;

/// <summary>
/// Everything a run needs, built from a validated spec: the problem, the network, the collocation
/// points, the evaluation mesh and the schedule. Only translation happens here; the math lives in
/// Core and Problems.
/// </summary>
public sealed class RunSetup : IDisposable
{
    private RunSetup(SolveSpec spec, IDomain domain, IPdeProblem problem, INetwork network, CollocationSet points,
        Tensor evaluationPoints, IReadOnlyList<ScheduleStage> schedule, Device device, IReadOnlyList<ReferenceSamples> references)
    {
        References = references;
        _network = network;
        Spec = spec;
        Domain = domain;
        Problem = problem;
        Points = points;
        EvaluationPoints = evaluationPoints;
        Schedule = schedule;
        Device = device;
    }

    /// <summary>The spec this run was built from.</summary>
    public SolveSpec Spec { get; }

    /// <summary>The domain.</summary>
    public IDomain Domain { get; }

    /// <summary>The physics.</summary>
    public IPdeProblem Problem { get; }

    private INetwork _network;

    /// <summary>The network being trained (after a multi-start, the chosen candidate).</summary>
    public INetwork Network => _network;

    /// <summary>Collocation points.</summary>
    public CollocationSet Points { get; }

    /// <summary>The mesh on which errors are measured and fields plotted.</summary>
    public Tensor EvaluationPoints { get; }

    /// <summary>Reference sample sets the trained solution is compared with (<c>evaluation.reference</c>).</summary>
    public IReadOnlyList<ReferenceSamples> References { get; }

    /// <summary>Training stages.</summary>
    public IReadOnlyList<ScheduleStage> Schedule { get; }

    /// <summary>Where tensors live.</summary>
    public Device Device { get; }

    /// <summary>Builds a run. Seeds every random choice from the spec's seed.</summary>
    public static RunSetup Build(SolveSpec spec, string? deviceOverride = null)
    {
        var device = new Device(deviceOverride ?? spec.Device);
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new UsageException($"{spec.SourceFile}: field 'device': CUDA was requested but is not available on this machine (TorchSharp backend: build with -p:TorchBackend=cuda-linux)");
        var dtype = spec.DType;
        random.manual_seed(spec.Seed);
        var networkGenerator = new Generator((ulong)spec.Seed);

        var domain = spec.Problem.Geometry;
        var problem = spec.Problem.Definition;
        var network = BuildNetwork(spec.Model, domain, dtype, device, networkGenerator);
        var points = BuildSampler(spec, domain).Next(dtype, device);
        var evaluation = domain.MeshInterior(spec.Evaluation.Points, dtype, device);
        var schedule = spec.Schedule.Select(BuildStage).ToArray();
        var references = spec.Evaluation.References.Select(r => new ReferenceSamples(r.Name,
            Matrix(r.Points, dtype, device), Matrix(r.Values, dtype, device))).ToArray();
        return new RunSetup(spec, domain, problem, network, points, evaluation, schedule, device, references);
    }

    private static Tensor Matrix(double[][] rows, ScalarType dtype, Device device)
    {
        int columns = rows[0].Length;
        return tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, columns }, dtype, device).DetachFromDisposeScope();
    }

    /// <summary>
    /// A trainer for <paramref name="network"/> on this run's problem and points, with the spec's resampling, point
    /// weights and term balancing (each trainer gets its own sampler, positioned after the initial points), and the
    /// sparsity term when the interpret section asks for it.
    /// </summary>
    public Trainer CreateTrainer(INetwork network)
    {
        var evaluator = new ForwardModeEvaluator(network);
        var weights = TrainingWeights();
        var regularization = Spec.Interpret?.Regularization is { } r ? (Func<INetwork, CollocationSet, LossTerm>)new SparsityRegularization(r.Weight, r.L1, r.Entropy).Term : null;
        var c = Spec.Collocation;
        if (c.ResampleEvery is null && c.Adaptive is null && c.PointWeights is null && Spec.Loss.Balancing is null)
            return new Trainer(network, Problem, evaluator, Points, EvaluationPoints, weights) { Regularization = regularization };
        PointResampler? resampler = null;
        if (c.ResampleEvery is not null || c.Adaptive is not null)
        {
            var sampler = BuildSampler(Spec, Domain);
            sampler.Next(Spec.DType, Device);   // the initial points, which this run already has
            resampler = new PointResampler(sampler, c.ResampleEvery is int every ? new PeriodicResampling(every) : null, c.Adaptive,
                Problem, evaluator, weights, Spec.Seed);
        }
        var parameters = network.TrainableParameters.Concat(Problem.TrainableParameters).ToArray();
        return new Trainer(network, Problem, evaluator, Points, EvaluationPoints, weights)
        {
            Regularization = regularization,
            Adaptation = new AdaptiveCollocation(Points, Problem, evaluator, weights, resampler, c.PointWeights, Spec.Loss.Balancing, parameters),
        };
    }

    /// <summary>The spec's loss weights, plus λ for the sparsity term when the interpret section asks for it.</summary>
    private LossWeights TrainingWeights()
    {
        if (Spec.Interpret?.Regularization is not { } r) return new LossWeights(Spec.Loss.Weights);
        var weights = new Dictionary<string, double>(Spec.Loss.Weights) { [SparsityRegularization.TermName] = r.Weight };
        return new LossWeights(weights);
    }

    /// <summary>
    /// Runs the spec's multi-start, when it has one: candidate 0 is the network already built from the seed,
    /// candidate c draws its weights from seed + c·7919. Returns null without a multi-start.
    /// </summary>
    public MultiStartResult? SelectInitialization()
    {
        if (Spec.Restarts is not { } restarts) return null;
        var candidates = new List<INetwork> { _network };
        for (int c = 1; c < restarts.Candidates; c++)
            candidates.Add(BuildNetwork(Spec.Model, Domain, Spec.DType, Device, new Generator((ulong)Spec.Seed + (ulong)c * 7919)));
        var first = Schedule[0];
        var trial = first with { Steps = restarts.Steps, GridUpdateAt = first.GridUpdateAt.Where(k => k < restarts.Steps).ToArray() };
        var result = MultiStart.Select(candidates, CreateTrainer, trial);
        _network = result.Best;
        return result;
    }

    /// <summary>
    /// The spec's network: one network, or one per output side by side, behind the map of the domain's
    /// bounding box onto [-1, 1]^D unless input scaling is off.
    /// </summary>
    public static INetwork BuildNetwork(ModelSpec model, IDomain domain, ScalarType dtype, Device device, Generator generator)
    {
        INetwork One() => model.Type switch
        {
            ModelType.Kan => new KanNetwork(model.Widths, new KanOptions(model.Kan!.Grid, model.Kan.Order, model.Kan.GridLo,
                model.Kan.GridHi, model.Kan.GridEps), dtype, device, generator),
            ModelType.Mlp => new Mlp(model.Widths, Activation.ByName(model.Mlp!.Activation), dtype, device, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(model)),
        };
        INetwork network = model.SeparateOutputs > 0 ? new StackedNetwork(Enumerable.Range(0, model.SeparateOutputs).Select(_ => One()).ToArray()) : One();
        if (model.InputScaling)
        {
            var bounds = domain.Bounds.Axes;
            network = new ScaledInputs(network, bounds.Select(a => a.Lo).ToArray(), bounds.Select(a => a.Hi).ToArray());
        }
        return model.HardBoundary is { } hard ? new HardBoundary(network, hard.Distance, hard.Values) : network;
    }

    /// <summary>The spec's samplers; the first draw gives the initial collocation points, later draws fresh ones.</summary>
    public static CollocationSampler BuildSampler(SolveSpec spec, IDomain domain)
    {
        static PointPlacement Placement(SamplerSpec s) => new(s.Kind switch
        {
            SamplerKind.Mesh => Core.Sampling.SamplerKind.Mesh,
            SamplerKind.Random => Core.Sampling.SamplerKind.Random,
            SamplerKind.LatinHypercube => Core.Sampling.SamplerKind.LatinHypercube,
            SamplerKind.Halton => Core.Sampling.SamplerKind.Halton,
            _ => Core.Sampling.SamplerKind.Sobol,
        }, s.Count ?? 0, s.Points);
        return new CollocationSampler(domain, Placement(spec.Collocation.Interior), Placement(spec.Collocation.Boundary), spec.Seed);
    }

    internal static ScheduleStage BuildStage(StageSpec stage) => stage.Optimizer switch
    {
        SpecOptimizer.Lbfgs => new ScheduleStage(CoreOptimizer.Lbfgs, stage.Steps, stage.Grid, stage.GridUpdateAt,
            Lbfgs: new LbfgsOptions
            {
                LearningRate = stage.LearningRate,
                HistorySize = stage.Lbfgs!.History,
                MaxIterations = stage.Lbfgs.MaxIterations,
                MaxEvaluations = stage.Lbfgs.MaxEvaluations,
                ToleranceGrad = stage.Lbfgs.ToleranceGrad,
                ToleranceChange = stage.Lbfgs.ToleranceChange,
                CurvatureThreshold = Math.Min(1e-10, stage.Lbfgs.ToleranceChange),
                LineSearch = stage.Lbfgs.LineSearch == LineSearch.StrongWolfe ? LbfgsLineSearch.StrongWolfe : LbfgsLineSearch.None,
            }),
        SpecOptimizer.Adam => new ScheduleStage(CoreOptimizer.Adam, stage.Steps, stage.Grid, stage.GridUpdateAt,
            Adam: new AdamOptions { LearningRate = stage.LearningRate }) { CarryAdamState = stage.CarryState },
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <inheritdoc />
    public void Dispose() => Network.Dispose();
}
