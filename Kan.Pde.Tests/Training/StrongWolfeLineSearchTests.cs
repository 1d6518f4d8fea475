using Kan.Pde.Core.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class StrongWolfeLineSearchTests
{
    private static (double Value, Tensor Gradient) Evaluate(Func<Tensor, Tensor> f, Tensor point)
    {
        using var leaf = point.detach().clone().requires_grad_(true);
        using var value = f(leaf);
        value.backward();
        return (value.ToDouble(), leaf.grad!.detach().clone());
    }

    private static void AssertStrongWolfe(Func<Tensor, Tensor> f, double[] start, Func<Tensor, Tensor>? direction,
        double initialStep, double c2)
    {
        using var scope = torch.NewDisposeScope();
        var x0 = torch.tensor(start, dtype: ScalarType.Float64);
        var (f0, g0) = Evaluate(f, x0);
        var d = direction is null ? g0.neg() : direction(g0);
        double slope0 = g0.dot(d).ToDouble();
        var search = new StrongWolfeLineSearch { C1 = 1e-4, C2 = c2, MaxEvaluations = 25, ToleranceChange = 1e-14 };

        var result = search.Search(alpha => Evaluate(f, x0 + alpha * d), d, f0, g0, slope0, initialStep);

        // Recompute at the accepted point instead of trusting the search's own bookkeeping.
        var (fa, ga) = Evaluate(f, x0 + result.Step * d);
        double slope = ga.dot(d).ToDouble();
        TestContext.Out.WriteLine($"α0={initialStep:G3} → α={result.Step:G6}, evals={result.Evaluations}, " +
                                  $"φ={fa:G6} (φ0={f0:G6}), φ'={slope:G3} (φ'0={slope0:G3})");
        Assert.Multiple(() =>
        {
            Assert.That(result.SatisfiesStrongWolfe, Is.True);
            Assert.That(result.Step, Is.GreaterThan(0));
            Assert.That(result.Value, Is.EqualTo(fa).Within(1e-12 * Math.Max(1, Math.Abs(fa))));
            Assert.That(fa, Is.LessThanOrEqualTo(f0 + 1e-4 * result.Step * slope0), "sufficient decrease");
            Assert.That(Math.Abs(slope), Is.LessThanOrEqualTo(c2 * Math.Abs(slope0)), "curvature");
            Assert.That(result.Evaluations, Is.LessThanOrEqualTo(25));
            Assert.That(result.Gradient.allclose(ga, rtol: 1e-12, atol: 1e-14), Is.True);
        });
    }

    // Steepest descent on Rosenbrock from the standard start: α = 1 overshoots by far (zoom),
    // tiny α needs extrapolation.
    [TestCase(1.0, 0.9)]
    [TestCase(1e-6, 0.9)]
    [TestCase(1e-3, 0.1)]
    [TestCase(10.0, 0.1)]
    public void RosenbrockSteepestDescentSatisfiesStrongWolfe(double initialStep, double c2) =>
        AssertStrongWolfe(TestFunctions.Rosenbrock, [-1.2, 1.0], null, initialStep, c2);

    // Moré & Thuente's first test function φ(α) = −α/(α² + β), β = 2, minimum at α = √2.
    [TestCase(1e-3)]
    [TestCase(1e-1)]
    [TestCase(10.0)]
    [TestCase(1000.0)]
    public void MoreThuenteFunctionSatisfiesStrongWolfe(double initialStep) =>
        AssertStrongWolfe(x => (-x / (x * x + 2.0)).sum(), [0.0], g => torch.ones_like(g), initialStep, 0.1);

    [Test]
    public void RejectsAscentDirection()
    {
        using var scope = torch.NewDisposeScope();
        var g = torch.ones(2, dtype: ScalarType.Float64);
        var search = new StrongWolfeLineSearch();
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            search.Search(_ => throw new InvalidOperationException(), g, 0, g, 1.0, 1.0));
    }

    [Test]
    public void BacksOffFromNonFiniteValues()
    {
        // The first trial lands where exp overflows to +∞; the search must back off to a finite Wolfe point.
        AssertStrongWolfe(x => ((x - 5.0).pow(2) + 1e-300 * x.exp()).sum(), [0.0], null, 1e3, 0.9);
    }
}
