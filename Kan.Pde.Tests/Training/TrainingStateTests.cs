using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using Kan.Pde.Core.Training.Checkpoints;
using Kan.Pde.Problems.Poisson;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

/// <summary>
/// Capturing a run's state and continuing from it in a freshly built network and trainer ends bit-identically where
/// the uninterrupted run ends: L-BFGS history, Adam moments, grid updates and extensions, and step counters included.
/// </summary>
public class TrainingStateTests
{
    private static readonly Box Domain = new(new[] { new Interval("x", -1, 1) });

    private static (INetwork Network, Trainer Trainer) Build()
    {
        var exact = ExpressionParser.Parse("sin(pi*x)", Domain.Variables);
        var problem = new PoissonProblem(Domain, exact, null, new[] { ("all", (Expr?)null) });
        var points = new CollocationSet(Domain.Mesh(new[] { 24 }, ScalarType.Float64, CPU), Domain.MeshBoundary(2, ScalarType.Float64, CPU), Domain);
        INetwork network = new ScaledInputs(new KanNetwork(new[] { 1, 3, 1 }, new KanOptions(GridSize: 3), ScalarType.Float64, CPU, new Generator(4)),
            new[] { -1.0 }, new[] { 1.0 });
        return (network, new Trainer(network, problem, new ForwardModeEvaluator(network), points, Domain.Mesh(new[] { 31 }, ScalarType.Float64, CPU)));
    }

    private static readonly ScheduleStage[] Schedule =
    {
        new(OptimizerKind.Lbfgs, 4, 3, new[] { 0, 2 }, new LbfgsOptions()),
        new(OptimizerKind.Adam, 4, 6, new[] { 1 }, Adam: new AdamOptions { LearningRate = 0.01 }),
        new(OptimizerKind.Lbfgs, 3, 6, Array.Empty<int>(), new LbfgsOptions { HistorySize = 3 }),
    };

    private static byte[][] Parameters(INetwork network) => network.TrainableParameters.Select(p => TensorData.From(p).Bytes).ToArray();

    [TestCase(2)]    // inside the first L-BFGS stage, between two grid updates
    [TestCase(4)]    // at the start of the Adam stage, right after its grid extension
    [TestCase(6)]    // inside the Adam stage
    [TestCase(10)]   // inside the last L-BFGS stage, with curvature pairs stored
    public void ContinuingFromACapturedStateEndsBitIdentically(int at)
    {
        TorchRuntime();
        var (network, trainer) = Build();
        TrainingState? captured = null;
        // The resume point with this global step that comes last (a stage start follows the previous stage's end).
        trainer.ResumePoint += c => { if (c.Step == at) captured = TrainingState.Capture(c, network, ProblemOf(trainer)); };
        var full = trainer.Run(Schedule);
        Assert.That(captured, Is.Not.Null);
        var expected = Parameters(network);
        network.Dispose();

        var (fresh, freshTrainer) = Build();
        var resumed = freshTrainer.Run(Schedule, captured);
        Assert.Multiple(() =>
        {
            Assert.That(Parameters(fresh), Is.EqualTo(expected));
            Assert.That(resumed.History.Select(h => (h.Step, h.Stage, h.GridSize, h.TotalLoss, h.RelativeL2, h.Evaluations)),
                Is.EqualTo(full.History.Select(h => (h.Step, h.Stage, h.GridSize, h.TotalLoss, h.RelativeL2, h.Evaluations))));
            Assert.That(resumed.GridChanges, Is.EqualTo(full.GridChanges));
            Assert.That(resumed.Evaluations, Is.EqualTo(full.Evaluations));
        });
        fresh.Dispose();
    }

    [Test]
    public void AStateDoesNotFitADifferentNetwork()
    {
        TorchRuntime();
        var (network, trainer) = Build();
        TrainingState? captured = null;
        trainer.ResumePoint += c => captured ??= c.Step == 1 ? TrainingState.Capture(c, network, ProblemOf(trainer)) : null;
        trainer.Run(new[] { Schedule[0] });
        using var other = new KanNetwork(new[] { 1, 4, 1 }, new KanOptions(GridSize: 3), ScalarType.Float64, CPU, new Generator(4));
        var before = Parameters(other);
        Assert.Throws<InvalidDataException>(() => captured!.Network.Restore(other));
        Assert.That(Parameters(other), Is.EqualTo(before), "a refused state changes nothing");
        network.Dispose();
    }

    [Test]
    public void TheGuardNamesANonFiniteGradient()
    {
        using var network = new KanNetwork(new[] { 1, 2, 1 }, new KanOptions(GridSize: 3), ScalarType.Float64, CPU, new Generator(1));
        var guard = new DivergenceGuard(network.TrainableParameters);
        var record = new StepRecord(7, 0, 3, 1.0, new Dictionary<string, double> { ["pde"] = 1.0 }, null, 0, 1);
        Assert.DoesNotThrow(() => guard.Check(record));
        var p = network.TrainableParameters[1];
        p.grad = full_like(p, double.NaN);
        var e = Assert.Throws<TrainingDivergedException>(() => guard.Check(record))!;
        Assert.That((e.Term, e.Step), Is.EqualTo(("gradient", 7)));
        Assert.That(e.Message, Does.Contain("step 7").And.Contain("gradient of parameter tensor 1"));
    }

    [Test]
    public void TheGuardNamesTheTermOfAnExplodingLoss()
    {
        var guard = new DivergenceGuard(Array.Empty<TorchSharp.Modules.Parameter>(), lossGrowth: 1e3);
        StepRecord Step(int step, double pde, double boundary) =>
            new(step, 0, 0, pde + boundary, new Dictionary<string, double> { ["pde"] = pde, ["boundary"] = boundary }, null, 0, step);
        guard.Check(Step(0, 1.0, 1.0));
        guard.Check(Step(1, 1e-2, 1e-3));
        guard.Check(Step(2, 5.0, 1e-3));          // 455-fold over the best: allowed
        var e = Assert.Throws<TrainingDivergedException>(() => guard.Check(Step(3, 1e-2, 50.0)))!;
        Assert.That((e.Term, e.Step, e.Detail), Is.EqualTo(("boundary", 3, "exploding")));
        Assert.That(e.Message, Does.Contain("lowest so far, 1.100E-002 at step 1"));
    }

    private static IPdeProblem ProblemOf(Trainer trainer) =>
        (IPdeProblem)typeof(Trainer).GetField("_problem", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(trainer)!;

    private static void TorchRuntime() => Kan.Pde.Core.Runtime.TorchRuntime.Configure(1);
}
