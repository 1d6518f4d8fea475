using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using Kan.Pde.Tests.Problems;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class GridExtensionStudyTests
{
    private static readonly Expr Target = ExpressionParser.Parse("exp(sin(pi*x) + y^2)", ["x", "y"]);

    [Test]
    public void SamplesLieInTheBoxAndCarryTheFunctionsValues()
    {
        using var samples = RegressionSamples.Draw(Target, [(-1, 1), (0, 2)], 200, seed: 5);
        using var again = RegressionSamples.Draw(Target, [(-1, 1), (0, 2)], 200, seed: 5);
        using var other = RegressionSamples.Draw(Target, [(-1, 1), (0, 2)], 200, seed: 6);
        var p = samples.Inputs.data<double>().ToArray();
        var t = samples.Targets.data<double>().ToArray();
        Assert.That(samples.Targets.shape, Is.EqualTo(new long[] { 200, 1 }));
        for (int i = 0; i < 200; i++)
        {
            Assert.That(p[2 * i], Is.InRange(-1.0, 1.0));
            Assert.That(p[2 * i + 1], Is.InRange(0.0, 2.0));
            Assert.That(t[i], Is.EqualTo(Math.Exp(Math.Sin(Math.PI * p[2 * i]) + p[2 * i + 1] * p[2 * i + 1])).Within(1e-12));
        }
        Assert.That(again.Inputs.data<double>().ToArray(), Is.EqualTo(p));
        Assert.That(other.Inputs.data<double>().ToArray(), Is.Not.EqualTo(p));
        // Both halves of the box are reached (a sampler stuck at a corner would pass the range checks).
        Assert.That(Enumerable.Range(0, 200).Count(i => p[2 * i] < 0), Is.InRange(60, 140));
        Assert.That(Enumerable.Range(0, 200).Count(i => p[2 * i + 1] > 1), Is.InRange(60, 140));
    }

    [Test]
    public void RmseAndMedianOfAKnownMisfit()
    {
        // The "network" x + y misses f by f − x − y at every sample; both measures are computed here from doubles.
        using var samples = RegressionSamples.Draw(Target, [(-1, 1), (-1, 1)], 101, seed: 3);
        using var network = new ExpressionNetwork(ExpressionParser.Parse("x + y", ["x", "y"]));
        var p = samples.Inputs.data<double>().ToArray();
        var squared = Enumerable.Range(0, 101).Select(i =>
        {
            double x = p[2 * i], y = p[2 * i + 1];
            return Math.Pow(x + y - Math.Exp(Math.Sin(Math.PI * x) + y * y), 2);
        }).ToArray();
        Assert.That(samples.Rmse(network), Is.EqualTo(Math.Sqrt(squared.Average())).Within(1e-12));
        Assert.That(samples.SquaredErrors(network), Is.EqualTo(squared).Within(1e-12));
        Assert.That(GridExtensionStudy.MedianRms(squared), Is.EqualTo(Math.Sqrt(squared.OrderBy(v => v).ElementAt(50))).Within(1e-15));
        Assert.That(GridExtensionStudy.MedianRms([9, 1, 16, 4]), Is.EqualTo(Math.Sqrt(6.5)).Within(1e-15));
    }

    [Test]
    public void MeanSquareIsTheMeanOfSquaresBitForBit()
    {
        // Written as r·r instead of square() (see SupervisedLosses.MeanSquare); the loss must not change by a bit.
        var r = randn(new long[] { 1000, 1 }, ScalarType.Float64, generator: new Generator(9)) * 1e-3 + 0.5;
        Assert.That(SupervisedLosses.MeanSquare(r).ToDouble(), Is.EqualTo(r.square().mean().ToDouble()));
        Assert.That(SupervisedLosses.MeanSquare(r).ToDouble(), Is.EqualTo(r.data<double>().ToArray().Select(v => v * v).Average()).Within(1e-15));
    }

    [Test]
    public void ScheduleExtendsThroughIncreasingGrids()
    {
        var stages = GridExtensionStudy.Schedule([3, 5, 10], 20, [0, 5, 25]);
        Assert.That(stages.Select(s => (s.GridSize, s.Steps, s.Optimizer)), Is.EqualTo(new (int?, int, OptimizerKind)[]
            { (3, 20, OptimizerKind.Lbfgs), (5, 20, OptimizerKind.Lbfgs), (10, 20, OptimizerKind.Lbfgs) }));
        Assert.That(stages[0].GridUpdateAt, Is.EqualTo(new[] { 0, 5 }));
        Assert.That(stages[1].GridUpdateAt, Is.Empty);
        Assert.Throws<ArgumentException>(() => GridExtensionStudy.Schedule([5, 5], 20, []));
        Assert.Throws<ArgumentException>(() => GridExtensionStudy.Schedule([], 20, []));
    }

    [Test]
    public void TheStudyRecordsEveryStepAndEachGridsEnd()
    {
        using var train = RegressionSamples.Draw(Target, [(-1, 1), (-1, 1)], 300, seed: 1);
        using var test = RegressionSamples.Draw(Target, [(-1, 1), (-1, 1)], 300, seed: 2);
        using var kan = new KanNetwork([2, 1, 1], new KanOptions(GridSize: 3, GridEps: 1.0), generator: new Generator(15838));
        var seen = new List<GridExtensionStep>();
        var result = GridExtensionStudy.Run(kan, train, test, GridExtensionStudy.Schedule([3, 6], 4, [0]), seen.Add);

        Assert.That(result.Steps.Select(s => (s.Step, s.GridSize)), Is.EqualTo(new[] { (0, 3), (1, 3), (2, 3), (3, 3), (4, 6), (5, 6), (6, 6), (7, 6) }));
        Assert.That(seen, Is.EqualTo(result.Steps));
        Assert.That(result.Ends.Select(e => (e.GridSize, e.Parameters)), Is.EqualTo(new[] { (3, 3 * (3 + 3 + 2L)), (6, 3 * (6 + 3 + 2L)) }));
        Assert.That(result.Ends[0].TrainRmse, Is.EqualTo(result.Steps[3].TrainRmse));
        // The last records describe the network as it is left.
        Assert.That(result.Ends[1].TrainRmse, Is.EqualTo(train.Rmse(kan)));
        Assert.That(result.Ends[1].TestRmse, Is.EqualTo(test.Rmse(kan)));
        Assert.That(result.Ends[1].TestMedianRms, Is.EqualTo(GridExtensionStudy.MedianRms(test.SquaredErrors(kan))));
        Assert.That(result.Ends[1].TrainRmse, Is.LessThan(result.Ends[0].TrainRmse));
    }

    [Test]
    public void MultiStartKeepsTheLowestTrialError()
    {
        using var train = RegressionSamples.Draw(Target, [(-1, 1), (-1, 1)], 300, seed: 1);
        var stage = GridExtensionStudy.Schedule([3], 10, [0])[0];
        KanNetwork Create(int seed) => new([2, 1, 1], new KanOptions(GridSize: 3, GridEps: 1.0), generator: new Generator((ulong)seed));
        var (best, rmse) = GridExtensionStudy.ChooseInitialization(Create, [0, 7919, 15838], train, stage, 3);
        Assert.That(rmse, Has.Length.EqualTo(3));
        Assert.That(best, Is.EqualTo(Array.IndexOf(rmse, rmse.Min())));
        // The trial's error is what the chosen seed reaches again when rebuilt and trained the same way.
        using var again = Create(new[] { 0, 7919, 15838 }[best]);
        new DataFit(again, train.Inputs, train.Targets, SupervisedLoss.MeanSquare).Run([stage with { Steps = 3, GridUpdateAt = [0] }]);
        Assert.That(train.Rmse(again), Is.EqualTo(rmse[best]));
    }
}
