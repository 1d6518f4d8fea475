using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Poisson;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class MultiStartTests
{
    [Test]
    public void KeepsTheCandidateWithTheLowestTrialLossAndDisposesTheOthers()
    {
        var box = new Box(new[] { new Interval("x", -1, 1) });
        var exact = ExpressionParser.Parse("sin(pi*x)", new[] { "x" });
        var problem = new PoissonProblem(box, exact, null, new[] { ("all", (Expr?)null) });
        var points = new CollocationSet(box.Mesh(new[] { 40 }, ScalarType.Float64, CPU), box.MeshBoundary(2, ScalarType.Float64, CPU), box);
        var candidates = Enumerable.Range(0, 3)
            .Select(c => (INetwork)new Mlp(new[] { 1, 8, 1 }, Activation.Tanh, generator: new Generator((ulong)(11 + c)))).ToList();
        var trial = new ScheduleStage(OptimizerKind.Lbfgs, 3, null, Array.Empty<int>(), new LbfgsOptions());
        var result = MultiStart.Select(candidates, n => new Trainer(n, problem, new ForwardModeEvaluator(n), points), trial);

        Assert.That(result.TrialLosses, Has.Count.EqualTo(3));
        Assert.That(result.TrialLosses[result.BestIndex], Is.EqualTo(result.TrialLosses.Min()));
        Assert.That(result.Best, Is.SameAs(candidates[result.BestIndex]));
        Assert.That(result.TrialLosses.Distinct().Count(), Is.EqualTo(3), "different starts should reach different losses");
        // The chosen network's loss now is the trial loss it reported (no further training happened).
        var terms = problem.Losses(new ForwardModeEvaluator(result.Best), points);
        double loss = terms.Sum(t => t.MeanSquare.item<double>());
        Assert.That(loss, Is.EqualTo(result.TrialLosses[result.BestIndex]).Within(1e-9 * loss + 1e-15));
        Assert.That(result.Evaluations, Is.GreaterThan(3));
    }
}
