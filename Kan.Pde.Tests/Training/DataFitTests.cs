using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using Kan.Pde.Core.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class DataFitTests
{
    [Test]
    public void BinaryCrossEntropyOnLogitsMatchesTheDefinition()
    {
        var logits = tensor(new[] { -3.0, 0.0, 2.5, 40.0 }, new long[] { 4, 1 });
        var labels = tensor(new[] { 0.0, 1.0, 1.0, 0.0 }, new long[] { 4, 1 });
        // −log σ(z) = log(1 + e^{−z}) and −log(1 − σ(z)) = z + log(1 + e^{−z}) (the second written so that z = 40 stays finite).
        double expected = new[]
        {
            -3 + Math.Log(1 + Math.Exp(3)), Math.Log(2), Math.Log(1 + Math.Exp(-2.5)), 40 + Math.Log(1 + Math.Exp(-40)),
        }.Average();
        Assert.That(SupervisedLosses.Evaluate(SupervisedLoss.BinaryCrossEntropy, logits, labels).item<double>(), Is.EqualTo(expected).Within(1e-12));
        Assert.That(SupervisedLosses.BinaryAccuracy(logits, labels), Is.EqualTo(0.5));
    }

    [Test]
    public void AKanClassifierLearnsALinearBoundary()
    {
        // Labels 1 where x + 0.5 y > 0.2 on [-1, 1]²: a [2,1] KAN is exactly a sum of two edge functions.
        var generator = new Generator(4);
        var x = rand(new long[] { 2000, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        var y = (x.select(1, 0) + 0.5 * x.select(1, 1)).gt(0.2).to(ScalarType.Float64).unsqueeze(1);
        using var kan = new KanNetwork(new[] { 2, 1 }, new KanOptions(GridSize: 5), generator: new Generator(1));
        var fit = new DataFit(kan, x, y, SupervisedLoss.BinaryCrossEntropy);
        double before = fit.Loss();
        var result = fit.Run(new[] { new ScheduleStage(OptimizerKind.Lbfgs, 15, null, new[] { 0 }) });
        Assert.That(result.History[^1].Terms["data"], Is.LessThan(0.1 * before));
        using (no_grad()) Assert.That(SupervisedLosses.BinaryAccuracy(kan.Forward(x), y), Is.GreaterThan(0.98));
    }

    [Test]
    public void MismatchedTargetsAreRejected()
    {
        using var kan = new KanNetwork(new[] { 2, 1 }, new KanOptions());
        Assert.Throws<ArgumentException>(() => new DataFit(kan, zeros(10, 2, ScalarType.Float64), zeros(9, 1, ScalarType.Float64), SupervisedLoss.MeanSquare));
    }

    [Test]
    public void APolynomialIsExpandedIntoItsMonomials()
    {
        // f = 3 + 2xy − y² + 0.5x (as a composition, the way a snapped KAN computes it).
        double F(double[] p) => Math.Pow(p[0] + p[1], 2) - Math.Pow(p[0], 2) - 2 * Math.Pow(p[1], 2) + 0.5 * p[0] + 3;
        var result = PolynomialExpansion.Fit(F, new[] { "x", "y" }, new[] { (-1.0, 2.0), (-3.0, 1.0) }, degree: 2);
        Assert.That(result.RelativeResidual, Is.LessThan(1e-12));
        Assert.That(result["1"], Is.EqualTo(3).Within(1e-10));
        Assert.That(result["x*y"], Is.EqualTo(2).Within(1e-10));
        Assert.That(result["y^2"], Is.EqualTo(-1).Within(1e-10));
        Assert.That(result["x"], Is.EqualTo(0.5).Within(1e-10));
        Assert.That(result["x^2"], Is.EqualTo(0).Within(1e-10));
    }
}
