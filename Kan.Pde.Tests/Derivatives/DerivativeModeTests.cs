using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Derivatives;

public class DerivativeModeTests
{
    private static IEnumerable<TestCaseData> Networks()
    {
        foreach (int D in new[] { 1, 2, 3 })
        {
            yield return new TestCaseData(D, "kan").SetName($"Kan_{D}d");
            yield return new TestCaseData(D, "mlp").SetName($"Mlp_{D}d");
        }
    }

    private static INetwork Build(int D, string kind, Generator generator) => kind == "kan"
        ? new KanNetwork(new[] { D, 5, 3, 1 }, new KanOptions(GridSize: 7, NoiseScale: 3.0), generator: generator)
        : new Mlp(new[] { D, 16, 16, 2 }, Activation.Tanh, generator: generator);

    [TestCaseSource(nameof(Networks))]
    public void ForwardModeEqualsNestedReverseMode(int D, string kind)
    {
        var generator = new Generator((ulong)(17 + D));
        using var net = (IDisposable)Build(D, kind, generator);
        var network = (INetwork)net;
        if (network is KanNetwork kan) kan.UpdateGridFromSamples(rand(new long[] { 500, D }, ScalarType.Float64, generator: generator) * 2 - 1);
        var x = rand(new long[] { 300, D }, ScalarType.Float64, generator: generator) * 2.2 - 1.1;
        var forward = new ForwardModeEvaluator(network).Evaluate(x, FieldNeeds.SecondDiagonal);
        var reverse = new ReverseModeEvaluator(network).Evaluate(x, FieldNeeds.SecondDiagonal);
        AssertClose(forward.Value, reverse.Value);
        AssertClose(forward.Gradient!, reverse.Gradient!);
        AssertClose(forward.SecondDiagonal!, reverse.SecondDiagonal!);
        AssertClose(forward.Laplacian, reverse.Laplacian);
    }

    [TestCaseSource(nameof(Networks))]
    public void GradientAndLaplacianMatchFiniteDifferences(int D, string kind)
    {
        var generator = new Generator((ulong)(29 + D));
        var network = Build(D, kind, generator);
        var x = rand(new long[] { 100, D }, ScalarType.Float64, generator: generator) * 1.8 - 0.9;
        var field = new ForwardModeEvaluator(network).Evaluate(x, FieldNeeds.SecondDiagonal);
        const double h = 1e-4;
        var u0 = network.Forward(x);
        var laplacian = zeros_like(u0);
        for (int d = 0; d < D; d++)
        {
            var shift = zeros(D, dtype: ScalarType.Float64);
            shift[d] = h;
            var up = network.Forward(x + shift);
            var down = network.Forward(x - shift);
            var d1 = (up - down) / (2 * h);
            var d2 = (up - 2 * u0 + down) / (h * h);
            laplacian += d2;
            Assert.That((field.Gradient!.select(1, d) - d1).abs().max().item<double>(), Is.LessThan(1e-6));
            Assert.That((field.SecondDiagonal!.select(1, d) - d2).abs().max().item<double>(), Is.LessThan(1e-3));
        }
        Assert.That((field.Laplacian - laplacian).abs().max().item<double>(), Is.LessThan(2e-3));
        network.Dispose();
    }

    [Test]
    public void ParameterGradientsAgreeBetweenModes()
    {
        var generator = new Generator(41);
        using var net = new KanNetwork(new[] { 2, 4, 1 }, new KanOptions(GridSize: 5, NoiseScale: 3.0), generator: generator);
        var x = rand(new long[] { 200, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        Tensor[] Grads(IFieldEvaluator e)
        {
            foreach (var p in net.TrainableParameters) p.grad?.zero_();
            e.Evaluate(x, FieldNeeds.SecondDiagonal).Laplacian.square().mean().backward();
            return net.TrainableParameters.Select(p => p.grad!.clone()).ToArray();
        }
        var a = Grads(new ForwardModeEvaluator(net));
        var b = Grads(new ReverseModeEvaluator(net));
        for (int i = 0; i < a.Length; i++) AssertClose(a[i], b[i]);
    }

    private static void AssertClose(Tensor a, Tensor b)
    {
        Assert.That(a.shape, Is.EqualTo(b.shape));
        double scale = b.abs().max().item<double>();
        double diff = (a - b).abs().max().item<double>();
        Assert.That(diff, Is.LessThanOrEqualTo(1e-10 * Math.Max(scale, 1e-300)), $"max diff {diff:E3} vs scale {scale:E3}");
    }
}
