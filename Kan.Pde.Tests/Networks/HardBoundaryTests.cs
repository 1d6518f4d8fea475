using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
using Kan.Pde.Tests.Problems;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Networks;

/// <summary>The output transform u = g + d·N: exact forward-mode derivatives and the boundary values it enforces.</summary>
public class HardBoundaryTests
{
    private static readonly string[] Xy = { "x", "y" };

    private static HardBoundary Build(out INetwork inner)
    {
        var kan = new KanNetwork(new[] { 2, 3, 2 }, new KanOptions(GridSize: 5, Order: 3), ScalarType.Float64, CPU, new Generator(7));
        inner = new ScaledInputs(kan, new[] { -1.0, 0.0 }, new[] { 2.0, 1.0 });
        var d = ExpressionParser.Parse("(x + 1)*(2 - x)*sin(pi*y)", Xy);
        var g = ExpressionParser.Parse("exp(x)*cos(y) + x*y^2", Xy);
        return new HardBoundary(inner, d, new Expr?[] { g, null });
    }

    [Test]
    public void ForwardModeMatchesNestedReverseMode()
    {
        var net = Build(out _);
        var x = rand(new long[] { 64, 2 }, ScalarType.Float64, generator: new Generator(3)) * tensor(new[] { 3.0, 1.0 }) + tensor(new[] { -1.0, 0.0 });
        var forward = new ForwardModeEvaluator(net).Evaluate(x, FieldNeeds.SecondDiagonal);
        var reverse = new ReverseModeEvaluator(net).Evaluate(x, FieldNeeds.SecondDiagonal);
        Assert.That((forward.Value - reverse.Value).abs().max().item<double>(), Is.LessThan(1e-12));
        Assert.That((forward.Gradient! - reverse.Gradient!).abs().max().item<double>(), Is.LessThan(1e-10));
        Assert.That((forward.SecondDiagonal! - reverse.SecondDiagonal!).abs().max().item<double>(), Is.LessThan(1e-10));
        Assert.That(forward.SecondDiagonal!.abs().max().item<double>(), Is.GreaterThan(1e-2), "non-trivial second derivatives");
    }

    [Test]
    public void TheConstrainedOutputEqualsTheBoundaryValuesWhereTheDistanceVanishes()
    {
        var net = Build(out var inner);
        // Points on x = −1, x = 2 and y = 0 (where d = 0), with various y and x.
        var x = tensor(new[] { -1.0, 0.3, 2.0, 0.9, 0.5, 0.0, 1.7, 1.0 }, new long[] { 4, 2 });
        var u = net.Forward(x);
        var g = ExpressionParser.Parse("exp(x)*cos(y) + x*y^2", Xy).Evaluate(x);
        Assert.That((u.select(1, 0) - g).abs().max().item<double>(), Is.LessThan(1e-12));
        Assert.That((u.select(1, 1) - inner.Forward(x).select(1, 1)).abs().max().item<double>(), Is.Zero, "the free output passes through");
    }
    [Test]
    public void ParameterGradientsOfAResidualLossMatchNestedReverseMode()
    {
        // The trainer differentiates a loss built from all three parts of the jet; the value, gradient and second
        // derivatives of d·N each enter it, so a slip in any term of the product rule shows up here.
        var x = rand(new long[] { 64, 2 }, ScalarType.Float64, generator: new Generator(5)) * tensor(new[] { 3.0, 1.0 }) + tensor(new[] { -1.0, 0.0 });
        Tensor[] Gradients(Func<INetwork, IFieldEvaluator> evaluator)
        {
            var net = Build(out _);
            var field = evaluator(net).Evaluate(x, FieldNeeds.SecondDiagonal);
            var u = field.Value.select(1, 0);
            var loss = (field.Laplacian.select(1, 0) + 2 * u - 1).square().mean() + field.Gradient!.select(2, 0).pow(3).mean();
            loss.backward();
            return net.TrainableParameters.Select(p => p.grad!.clone()).ToArray();
        }
        var forward = Gradients(n => new ForwardModeEvaluator(n));
        var reverse = Gradients(n => new ReverseModeEvaluator(n));
        Assert.That(forward, Has.Length.EqualTo(reverse.Length));
        for (int i = 0; i < forward.Length; i++)
        {
            double scale = reverse[i].abs().max().item<double>();
            Assert.That((forward[i] - reverse[i]).abs().max().item<double>(), Is.LessThan(1e-10 * Math.Max(1, scale)), $"parameter {i}");
        }
        Assert.That(reverse.Max(g => g.abs().max().item<double>()), Is.GreaterThan(1e-3), "non-trivial gradients");
    }

    [Test]
    public void LevelNearBoundaryIsLowForALinearWallAndHighForASteepOne()
    {
        // 1-D: interior points i/100 (i = 0..100; 0 and 1, where d = 0, are left out), boundary points 0 and 1. The 5
        // nearest of the other 99 are 0.01, 0.99, 0.02, 0.98 and one of 0.03/0.97; their median |d| is d(0.02), the
        // largest |d| is d(0.5).
        var interior = arange(0, 101, ScalarType.Float64).div(100.0).unsqueeze(1);
        var boundary = tensor(new[] { 0.0, 1.0 }, new long[] { 2, 1 });
        string[] xs = { "x" };
        double Level(string distance) =>
            new HardBoundary(new ExpressionNetwork(ExpressionParser.Parse("x", xs)), ExpressionParser.Parse(distance, xs), new Expr?[] { Expr.Constant(0, xs) })
                .LevelNearBoundary(interior, boundary);
        Assert.That(Level("x*(1 - x)"), Is.EqualTo(0.02 * 0.98 / 0.25).Within(1e-12));
        Assert.That(Level("tanh(50*x)*tanh(50*(1 - x))"), Is.EqualTo(Math.Tanh(1) * Math.Tanh(49) / Math.Pow(Math.Tanh(25), 2)).Within(1e-12));
    }
}
