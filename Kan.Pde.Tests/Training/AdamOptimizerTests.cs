using Kan.Pde.Core.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class AdamOptimizerTests
{
    private static Func<Tensor, Tensor> Quadratic { get; } = v =>
        ((v - torch.tensor(new[] { 1.0, -2.0, 0.5 }, dtype: ScalarType.Float64)).pow(2)).sum();

    [Test]
    public void DecreasesAQuadratic()
    {
        var x = TestFunctions.Parameter(0.0, 0.0, 0.0);
        using var adam = new AdamOptimizer([x], new AdamOptions { LearningRate = 0.05 });
        var closure = TestFunctions.Closure(x, Quadratic);
        double first = adam.Step(closure);
        double last = first;
        for (int i = 0; i < 300; i++) last = adam.Step(closure);
        TestContext.Out.WriteLine($"loss {first:G4} → {last:G4}");
        Assert.That(last, Is.LessThan(1e-3 * first));
        Assert.That(adam.Evaluations, Is.EqualTo(301));
    }

    [Test]
    public void MomentsRoundTripThroughGetAndSet()
    {
        var x1 = TestFunctions.Parameter(0.0, 0.0, 0.0);
        using var adam1 = new AdamOptimizer([x1], new AdamOptions { LearningRate = 0.05 });
        for (int i = 0; i < 7; i++) adam1.Step(TestFunctions.Closure(x1, Quadratic));

        var x2 = TestFunctions.Parameter(0.0, 0.0, 0.0);
        using (torch.no_grad()) x2.copy_(x1);
        using var adam2 = new AdamOptimizer([x2], new AdamOptions { LearningRate = 0.05 });
        var saved = adam1.GetMoments();
        adam2.SetMoments(saved);
        var restored = adam2.GetMoments();
        Assert.Multiple(() =>
        {
            Assert.That(restored[0].Step, Is.EqualTo(7));
            Assert.That(restored[0].ExpAvg.allclose(saved[0].ExpAvg, 0, 0), Is.True);
            Assert.That(restored[0].ExpAvgSq.allclose(saved[0].ExpAvgSq, 0, 0), Is.True);
            Assert.That(saved[0].ExpAvg.abs().sum().ToDouble(), Is.GreaterThan(0));
        });

        // With equal parameters and moments, the next update must be identical.
        adam1.Step(TestFunctions.Closure(x1, Quadratic));
        adam2.Step(TestFunctions.Closure(x2, Quadratic));
        Assert.That(x2.detach().allclose(x1.detach(), 0, 0), Is.True);

        // The returned copies are independent of the live state.
        Assert.That(adam1.GetMoments()[0].Step, Is.EqualTo(8));
        Assert.That(saved[0].Step, Is.EqualTo(7));
        foreach (var m in saved.Concat(restored)) m.Dispose();
    }

    [Test]
    public void SetMomentsRejectsWrongShapesWithoutChangingState()
    {
        var x = TestFunctions.Parameter(0.0, 0.0, 0.0);
        using var adam = new AdamOptimizer([x]);
        adam.Step(TestFunctions.Closure(x, Quadratic));
        using var bad = new AdamMoments(3, torch.zeros(4, dtype: ScalarType.Float64), torch.zeros(4, dtype: ScalarType.Float64));
        Assert.Throws<ArgumentException>(() => adam.SetMoments([bad]));
        Assert.Throws<ArgumentException>(() => adam.SetMoments([]));
        Assert.That(adam.GetMoments()[0].Step, Is.EqualTo(1));
    }

    [Test]
    public void ResetStateZeroesMoments()
    {
        var x = TestFunctions.Parameter(0.0, 0.0, 0.0);
        using var adam = new AdamOptimizer([x]);
        for (int i = 0; i < 3; i++) adam.Step(TestFunctions.Closure(x, Quadratic));
        adam.ResetState();
        var m = adam.GetMoments()[0];
        Assert.That(m.Step, Is.Zero);
        Assert.That(m.ExpAvg.abs().sum().ToDouble(), Is.Zero);
        Assert.That(m.ExpAvgSq.abs().sum().ToDouble(), Is.Zero);
    }

    [Test]
    public void MomentsSurviveTheCreatingDisposeScope()
    {
        var x = TestFunctions.Parameter(0.0, 0.0, 0.0);
        AdamOptimizer adam;
        using (torch.NewDisposeScope()) adam = new AdamOptimizer([x], new AdamOptions { LearningRate = 0.05 });
        using (adam)
        {
            for (int i = 0; i < 3; i++) adam.Step(TestFunctions.Closure(x, Quadratic));
            Assert.That(adam.GetMoments()[0].Step, Is.EqualTo(3));
        }
    }
}
