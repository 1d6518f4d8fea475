using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class ProblemParameterTests
{
    /// <summary>
    /// u'' = −λ u on [0, π] with u = sin x given as data: the network fits u, and the problem's own unknown λ
    /// must come out as 1. Also: weights apply by term name, and outputs up to a constant ignore offsets.
    /// </summary>
    private sealed class EigenvalueOfSine : IPdeProblem
    {
        public Parameter Lambda { get; } = new(tensor(3.0, ScalarType.Float64));
        public string Family => "test";
        public int InputDimension => 1;
        public int OutputDimension => 1;
        public IReadOnlyList<string> LossTermNames { get; } = new[] { "pde", "data" };
        public IExactSolution? Exact => null;
        public IReadOnlyList<Parameter> TrainableParameters => new[] { Lambda };

        public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
        {
            var f = field.Evaluate(points.Interior, FieldNeeds.SecondDiagonal);
            var u = f.Component(0);
            var data = u - points.Interior.select(1, 0).sin();
            return new[] { new LossTerm("pde", (f.DD(0, 0) + Lambda * u).square().mean()), new LossTerm("data", data.square().mean()) };
        }
    }

    [Test]
    public void TheTrainerOptimisesTheProblemsOwnParameters()
    {
        var box = new Box(new[] { new Interval("x", 0, Math.PI) });
        var points = new CollocationSet(box.Mesh(new[] { 64 }, ScalarType.Float64, CPU), box.MeshBoundary(2, ScalarType.Float64, CPU), box);
        var problem = new EigenvalueOfSine();
        using var network = new ScaledInputs(new Mlp(new[] { 1, 16, 16, 1 }, Activation.Tanh, generator: new Generator(3)), new[] { 0.0 }, new[] { Math.PI });
        var trainer = new Trainer(network, problem, new ForwardModeEvaluator(network), points,
            weights: new LossWeights(new Dictionary<string, double> { ["data"] = 100 }));
        var result = trainer.Run(new[] { new ScheduleStage(OptimizerKind.Lbfgs, 60, null, Array.Empty<int>(), new LbfgsOptions()) });
        Assert.That(problem.Lambda.item<double>(), Is.EqualTo(1.0).Within(1e-3));
        // The reported total is Σ weight · term with the data term weighted 100.
        var last = result.History[^1];
        Assert.That(last.TotalLoss, Is.EqualTo(last.Terms["pde"] + 100 * last.Terms["data"]).Within(1e-12 * last.TotalLoss));
    }

    [Test]
    public void AnOutputDefinedUpToAConstantIsComparedWithoutItsOffset()
    {
        // Outputs (u, p) = (x, x² + 5) against the reference (x, x²): only p is gauge-free.
        var x = linspace(-1, 1, 41, dtype: ScalarType.Float64).unsqueeze(1);
        var exact = new ShiftedReference();
        using var network = new OffsetNetwork();
        var gauge = ErrorMetrics.Compute(network, exact, x, new[] { "u", "p" }, new[] { 1 });
        Assert.That(gauge.Components[0].RelativeL2, Is.EqualTo(0).Within(1e-15));
        Assert.That(gauge.Components[1].RelativeL2, Is.EqualTo(0).Within(1e-14));
        Assert.That(gauge.Components[1].UpToConstant, Is.True);
        var plain = ErrorMetrics.Compute(network, exact, x, new[] { "u", "p" });
        Assert.That(plain.Components[1].MaxAbsError, Is.EqualTo(5).Within(1e-12));
    }

    private sealed class ShiftedReference : IExactSolution
    {
        public Tensor Value(Tensor points) => cat(new[] { points, points.square() }, 1);
        public Tensor? Gradient(Tensor points) => null;
    }

    private sealed class OffsetNetwork : INetwork
    {
        public int InputDimension => 1;
        public int OutputDimension => 2;
        public long ParameterCount => 0;
        public IReadOnlyList<Parameter> TrainableParameters => Array.Empty<Parameter>();
        public string Description => "x, x² + 5";
        public Tensor Forward(Tensor points) => cat(new[] { points, points.square() + 5 }, 1);
        public Jet Propagate(Jet input) => new(Forward(input.Value), null, null) { Order = 0 };
        public void Dispose() { }
    }
}
