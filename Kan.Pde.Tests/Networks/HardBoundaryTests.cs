using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
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
}
