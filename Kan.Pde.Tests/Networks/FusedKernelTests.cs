using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Networks;

/// <summary>
/// The fused host kernel (default on the CPU) against the tensor formulation (what runs on GPUs) and against nested
/// reverse mode: values, input derivatives and parameter gradients, in float64 to 1e-10 relative, for networks that
/// take every branch (outputs narrower and wider than a vector, the feature product, the input-feature cache, masks,
/// uniform and adapted knots, spline orders 1 to 5).
/// </summary>
public class FusedKernelTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new[] { 1, 5, 3, 1 }, 7, 3, false).SetName("Kan_1_5_3_1_uniform");
        yield return new TestCaseData(new[] { 2, 5, 3, 1 }, 7, 3, true).SetName("Kan_2_5_3_1_adapted");
        yield return new TestCaseData(new[] { 3, 4, 9, 2 }, 6, 2, true).SetName("Kan_3_4_9_2_quadratic_two_outputs");
        yield return new TestCaseData(new[] { 2, 16, 16, 1 }, 5, 3, true).SetName("Kan_2_16_16_1_features_branch");
        yield return new TestCaseData(new[] { 2, 2, 1 }, 20, 5, true).SetName("Kan_2_2_1_quintic");
        yield return new TestCaseData(new[] { 2, 3, 1 }, 4, 1, false).SetName("Kan_2_3_1_linear");
    }

    private static Field Evaluate(KanNetwork net, IFieldEvaluator evaluator, Tensor x, out Tensor[] parameterGradients)
    {
        foreach (var p in net.TrainableParameters) p.grad?.zero_();
        var field = evaluator.Evaluate(x, FieldNeeds.SecondDiagonal);
        // A loss that weighs every part of the jet differently, so each reaches the parameter gradients.
        (field.Laplacian.square().mean() + 0.3 * field.Value.sin().sum() + field.Gradient!.pow(3).mean()).backward();
        parameterGradients = net.TrainableParameters.Select(p => p.grad!.clone()).ToArray();
        return field;
    }

    [TestCaseSource(nameof(Cases))]
    public void FusedKernelAndTensorFormulationMatchNestedReverseMode(int[] widths, int grid, int order, bool adapt)
    {
        int D = widths[0];
        var generator = new Generator((ulong)(100 + widths.Sum() + order));
        using var net = new KanNetwork(widths, new KanOptions(GridSize: grid, Order: order, NoiseScale: 3.0), generator: generator);
        if (adapt) net.UpdateGridFromSamples(rand(new long[] { 400, D }, ScalarType.Float64, generator: generator) * 2 - 1);
        using (no_grad())
            foreach (var layer in net.Layers)
                layer.Mask.copy_((rand(layer.Mask.shape, ScalarType.Float64, generator: generator) > 0.2).to(ScalarType.Float64));
        // Some points outside the grid range, where only silu remains.
        var x = rand(new long[] { 257, D }, ScalarType.Float64, generator: generator) * 2.6 - 1.3;

        var reference = Evaluate(net, new ReverseModeEvaluator(net), x, out var referenceGradients);
        foreach (bool host in new[] { true, false, false })   // the second tensor pass reuses the input features
        {
            foreach (var layer in net.Layers) layer.UseHostKernel = host;
            var field = Evaluate(net, new ForwardModeEvaluator(net), x, out var gradients);
            string mode = host ? "fused" : "tensor";
            AssertClose(field.Value, reference.Value, mode + " value");
            AssertClose(field.Gradient!, reference.Gradient!, mode + " gradient");
            AssertClose(field.SecondDiagonal!, reference.SecondDiagonal!, mode + " second");
            for (int i = 0; i < gradients.Length; i++) AssertClose(gradients[i], referenceGradients[i], $"{mode} parameter {i}");
        }
    }

    [Test]
    public void SymbolicEdgesTakeTheTensorFormulation()
    {
        // The fused kernel knows splines and silu only: a layer with a symbolic edge must leave it, and the jet must
        // still match nested reverse mode.
        var generator = new Generator(13);
        using var net = new KanNetwork(new[] { 2, 3, 1 }, new KanOptions(GridSize: 5, NoiseScale: 3.0), generator: generator);
        Assert.That(net.Layers.All(l => l.CanUseFusedKernel), Is.True);
        net.FixSymbolic(new Kan.Pde.Core.Symbolic.EdgeId(1, 1, 0), Kan.Pde.Core.Symbolic.SymbolicFunction.Sin, 2, 0.1, 0.5, 0);
        Assert.That(net.Layers[0].CanUseFusedKernel, Is.True);
        Assert.That(net.Layers[1].CanUseFusedKernel, Is.False);
        var x = rand(new long[] { 64, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        var reference = Evaluate(net, new ReverseModeEvaluator(net), x, out var referenceGradients);
        var field = Evaluate(net, new ForwardModeEvaluator(net), x, out var gradients);
        AssertClose(field.Value, reference.Value, "value");
        AssertClose(field.SecondDiagonal!, reference.SecondDiagonal!, "second");
        for (int i = 0; i < gradients.Length; i++) AssertClose(gradients[i], referenceGradients[i], $"parameter {i}");
    }

    [Test]
    public void InputGradientsFlowThroughTheFusedNode()
    {
        // d/dx of a loss built from the jet: the fused node's adjoint with respect to its input points.
        var generator = new Generator(5);
        using var net = new KanNetwork(new[] { 2, 6, 1 }, new KanOptions(GridSize: 5, NoiseScale: 3.0), generator: generator);
        var x0 = rand(new long[] { 64, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        Tensor InputGradient(bool host)
        {
            foreach (var layer in net.Layers) layer.UseHostKernel = host;
            var x = x0.clone().requires_grad_(true);
            var jet = net.Propagate(Jet.Input(x, 1));
            (jet.Value.square().sum() + jet.Gradient!.sum()).backward();
            return x.grad!.clone();
        }
        AssertClose(InputGradient(true), InputGradient(false), "dL/dx");
    }

    [Test]
    public void Float32FusedKernelAgreesWithFloat64()
    {
        var generator = new Generator(9);
        using var net64 = new KanNetwork(new[] { 2, 7, 1 }, new KanOptions(GridSize: 8), generator: generator);
        using var net32 = new KanNetwork(new[] { 2, 7, 1 }, new KanOptions(GridSize: 8), ScalarType.Float32, generator: new Generator(9));
        var x = rand(new long[] { 100, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        using (no_grad())
            for (int i = 0; i < net64.TrainableParameters.Count; i++)
                net32.TrainableParameters[i].copy_(net64.TrainableParameters[i].to(ScalarType.Float32));
        var f64 = new ForwardModeEvaluator(net64).Evaluate(x, FieldNeeds.SecondDiagonal);
        var f32 = new ForwardModeEvaluator(net32).Evaluate(x.to(ScalarType.Float32), FieldNeeds.SecondDiagonal);
        double scale = f64.SecondDiagonal!.abs().max().item<double>();
        double diff = (f32.SecondDiagonal!.to(ScalarType.Float64) - f64.SecondDiagonal!).abs().max().item<double>();
        Assert.That(diff, Is.LessThan(1e-4 * scale), $"float32 second derivatives differ by {diff:E2} (scale {scale:E2})");
    }

    [TestCase(1, 5, false)]
    [TestCase(3, 5, true)]
    [TestCase(6, 20, false)]
    public void HiddenLayerJetsAgreeFarOutsideTheKnots(int outputs, int grid, bool maskEdge)
    {
        // The tensor formulation of a hidden layer (per-edge branch) takes each point's k+1 coefficients as one window of
        // the zero-padded coefficients: points beyond the extended knots on both sides, where no basis function exists,
        // points on knots and points inside must all give the fused kernel's jet (narrow and wide outputs, masked edge).
        var generator = new Generator((ulong)(7 + outputs));
        using var layer = new KanLayer(2, outputs, grid, 3, (-1, 1), noiseScale: 3.0, generator: generator);
        if (maskEdge) using (no_grad()) layer.Mask[1, 0] = 0;
        var knots = tensor(layer.Grid.Extended(0), ScalarType.Float64);
        var x = cat(new[] { linspace(-6, 6, 241, ScalarType.Float64), knots }).unsqueeze(1).expand(-1, 2).contiguous() * tensor(new[] { 1.0, 0.7 });
        long N = x.shape[0];
        var jet = new Jet(x, rand(new long[] { N, 2, 2 }, ScalarType.Float64, generator: generator) - 0.5,
            rand(new long[] { N, 2, 2 }, ScalarType.Float64, generator: generator) - 0.5) { Order = 2 };
        layer.UseHostKernel = true;
        var fused = layer.Propagate(jet);
        layer.UseHostKernel = false;
        var tensors = layer.Propagate(jet);
        AssertClose(tensors.Value, fused.Value, "value");
        AssertClose(tensors.Gradient!, fused.Gradient!, "gradient");
        AssertClose(tensors.Second!, fused.Second!, "second");
    }

    private static void AssertClose(Tensor a, Tensor b, string what)
    {
        Assert.That(a.shape, Is.EqualTo(b.shape), what);
        double scale = b.abs().max().item<double>();
        double diff = (a - b).abs().max().item<double>();
        Assert.That(diff, Is.LessThanOrEqualTo(1e-10 * Math.Max(scale, 1e-300)), $"{what}: max diff {diff:E3} vs scale {scale:E3}");
    }
}
