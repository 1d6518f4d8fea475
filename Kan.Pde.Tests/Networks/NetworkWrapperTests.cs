using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Networks;

public class NetworkWrapperTests
{
    [Test]
    public void ScaledInputsFollowTheChainRule()
    {
        var generator = new Generator(5);
        var inner = new KanNetwork(new[] { 2, 4, 1 }, new KanOptions(GridSize: 6, NoiseScale: 3.0), generator: generator);
        using var scaled = new ScaledInputs(inner, new[] { 0.0, -3.0 }, new[] { 2.0, 5.0 });
        // Points of the box [0, 2] × [-3, 5]; the inner network sees them in [-1, 1]².
        var x = rand(new long[] { 200, 2 }, ScalarType.Float64, generator: generator) * tensor(new[] { 2.0, 8.0 }) + tensor(new[] { 0.0, -3.0 });
        var forward = new ForwardModeEvaluator(scaled).Evaluate(x, FieldNeeds.SecondDiagonal);
        var reverse = new ReverseModeEvaluator(scaled).Evaluate(x, FieldNeeds.SecondDiagonal);
        AssertClose(forward.Value, reverse.Value);
        AssertClose(forward.Gradient!, reverse.Gradient!);
        AssertClose(forward.SecondDiagonal!, reverse.SecondDiagonal!);
        var unit = (x - tensor(new[] { 1.0, 1.0 })) / tensor(new[] { 1.0, 4.0 });
        Assert.That(scaled.Forward(x).eq(inner.Forward(unit)).all().item<bool>(), Is.True);
    }

    [Test]
    public void ScalingTheUnitBoxIsExactlyTheIdentity()
    {
        var generator = new Generator(6);
        var inner = new Mlp(new[] { 2, 8, 1 }, Activation.Tanh, generator: generator);
        using var scaled = new ScaledInputs(inner, new[] { -1.0, -1.0 }, new[] { 1.0, 1.0 });
        var x = rand(new long[] { 50, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        var a = new ForwardModeEvaluator(scaled).Evaluate(x, FieldNeeds.SecondDiagonal);
        var b = new ForwardModeEvaluator(inner).Evaluate(x, FieldNeeds.SecondDiagonal);
        Assert.That(a.Value.eq(b.Value).all().item<bool>() && a.Gradient!.eq(b.Gradient!).all().item<bool>()
                    && a.SecondDiagonal!.eq(b.SecondDiagonal!).all().item<bool>(), Is.True);
    }

    [Test]
    public void StackedNetworkConcatenatesItsPartsAndTheirDerivatives()
    {
        var generator = new Generator(7);
        var kan = new KanNetwork(new[] { 3, 3, 1 }, new KanOptions(GridSize: 5, NoiseScale: 3.0), generator: generator);
        var mlp = new Mlp(new[] { 3, 6, 2 }, Activation.Sin, generator: generator);
        using var stacked = new StackedNetwork(new INetwork[] { kan, mlp });
        Assert.That(stacked.OutputDimension, Is.EqualTo(3));
        Assert.That(stacked.ParameterCount, Is.EqualTo(kan.ParameterCount + mlp.ParameterCount));
        Assert.That(stacked.TrainableParameters, Has.Count.EqualTo(kan.TrainableParameters.Count + mlp.TrainableParameters.Count));
        var x = rand(new long[] { 100, 3 }, ScalarType.Float64, generator: generator) * 2 - 1;
        var forward = new ForwardModeEvaluator(stacked).Evaluate(x, FieldNeeds.SecondDiagonal);
        var reverse = new ReverseModeEvaluator(stacked).Evaluate(x, FieldNeeds.SecondDiagonal);
        AssertClose(forward.Value, reverse.Value);
        AssertClose(forward.Gradient!, reverse.Gradient!);
        AssertClose(forward.SecondDiagonal!, reverse.SecondDiagonal!);
        var kanField = new ForwardModeEvaluator(kan).Evaluate(x, FieldNeeds.SecondDiagonal);
        Assert.That(forward.SecondDiagonal!.narrow(2, 0, 1).eq(kanField.SecondDiagonal!).all().item<bool>(), Is.True);
        // A grid extension reaches the KAN part.
        stacked.ExtendGrid(10, x);
        Assert.That(kan.GridSize, Is.EqualTo(10));
    }

    private static void AssertClose(Tensor a, Tensor b)
    {
        Assert.That(a.shape, Is.EqualTo(b.shape));
        double scale = b.abs().max().item<double>();
        double diff = (a - b).abs().max().item<double>();
        Assert.That(diff, Is.LessThanOrEqualTo(1e-10 * Math.Max(scale, 1e-300)), $"max diff {diff:E3} vs scale {scale:E3}");
    }
}
