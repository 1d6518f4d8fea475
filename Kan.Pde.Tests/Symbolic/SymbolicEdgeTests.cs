using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Splines;
using Kan.Pde.Core.Symbolic;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Symbolic;

public class SymbolicEdgeTests
{
    /// <summary>
    /// A [2, 4, 3, 1] KAN with every library function on some edge (the rest stay splines). Arguments stay inside every
    /// domain: hidden values are O(1), and log, sqrt, 1/x get a = 0.2, b = 3; tan gets a small scale.
    /// </summary>
    private static KanNetwork MixedNetwork(Generator generator)
    {
        var net = new KanNetwork(new[] { 2, 4, 3, 1 }, new KanOptions(GridSize: 6, NoiseScale: 3.0), generator: generator);
        net.UpdateGridFromSamples(rand(new long[] { 400, 2 }, ScalarType.Float64, generator: generator) * 2 - 1);
        var edges = new List<EdgeId>();
        foreach (var (layer, index) in net.Layers.Select((l, k) => (l, k)))
            for (int i = 0; i < layer.Inputs; i++)
                for (int j = 0; j < layer.Outputs; j++) edges.Add(new EdgeId(index, i, j));
        var random = new Random(3);
        int f = 0;
        // 18 of the 23 edges symbolic, one per library function; edges 1, 3, 5, 7, 9 stay splines.
        foreach (var edge in edges.Where((_, k) => k % 2 == 0 || k > 10))
        {
            var function = SymbolicLibrary.All[f++ % SymbolicLibrary.All.Count];
            bool singular = function == SymbolicFunction.Log || function == SymbolicFunction.Sqrt || function == SymbolicFunction.Reciprocal;
            double a = singular ? 0.2 : function == SymbolicFunction.Tan ? 0.15 : 0.5 + random.NextDouble();
            double b = singular ? 3 : random.NextDouble() - 0.5;
            net.FixSymbolic(edge, function, a, b, 0.5 + random.NextDouble(), random.NextDouble() - 0.5);
        }
        Assert.That(net.SymbolicEdgeCount, Is.EqualTo(18), "every library function is on an edge");
        return net;
    }

    [Test]
    public void ForwardModeEqualsNestedReverseModeWithSymbolicEdges()
    {
        var generator = new Generator(11);
        using var net = MixedNetwork(generator);
        var x = rand(new long[] { 120, 2 }, ScalarType.Float64, generator: generator) * 2.2 - 1.1;
        var forward = new ForwardModeEvaluator(net).Evaluate(x, FieldNeeds.SecondDiagonal);
        var reverse = new ReverseModeEvaluator(net).Evaluate(x, FieldNeeds.SecondDiagonal);
        AssertClose(forward.Value, reverse.Value);
        AssertClose(forward.Gradient!, reverse.Gradient!);
        AssertClose(forward.SecondDiagonal!, reverse.SecondDiagonal!);
    }

    [Test]
    public void ParameterGradientsAgreeBetweenModesWithSymbolicEdges()
    {
        var generator = new Generator(12);
        using var net = MixedNetwork(generator);
        var x = rand(new long[] { 40, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        Tensor[] Grads(IFieldEvaluator e)
        {
            foreach (var p in net.TrainableParameters) p.grad?.zero_();
            e.Evaluate(x, FieldNeeds.SecondDiagonal).Laplacian.square().mean().backward();
            return net.TrainableParameters.Select(p => p.grad!.clone()).ToArray();
        }
        var a = Grads(new ForwardModeEvaluator(net));
        var b = Grads(new ReverseModeEvaluator(net));
        Assert.That(net.TrainableParameters.Count, Is.EqualTo(3 * 4), "three layers, each with splines and symbolic edges");
        for (int i = 0; i < a.Length; i++) AssertClose(a[i], b[i]);
        // The affine parameters of symbolic edges get gradients, those of spline edges none.
        var affine = net.Layers[0].Symbolic.Affine.grad!;
        Assert.That(affine[0, 0].abs().sum().item<double>(), Is.GreaterThan(0));
        Assert.That(affine[0, 1].abs().sum().item<double>(), Is.EqualTo(0));
    }

    [Test]
    public void ASymbolicEdgeReplacesItsSplineExactly()
    {
        var generator = new Generator(13);
        using var layer = new KanLayer(2, 1, 5, 3, (-1, 1), generator: generator);
        var x = rand(new long[] { 40, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        var before = layer.EdgeValues(x);
        layer.Symbolic.Fix(0, 0, SymbolicFunction.Sin, 2.0, 0.5, 1.5, -0.25);
        var y = layer.forward(x).select(1, 0);
        var expected = 1.5 * (2.0 * x.select(1, 0) + 0.5).sin() - 0.25 + before.select(0, 1).select(1, 0);
        Assert.That((y - expected).abs().max().item<double>(), Is.LessThan(1e-14));
        // Pruning the edge removes the symbolic term too.
        using (no_grad()) layer.Mask[0, 0] = 0;
        Assert.That((layer.forward(x).select(1, 0) - before.select(0, 1).select(1, 0)).abs().max().item<double>(), Is.LessThan(1e-14));
        layer.Symbolic.Release(0, 0);
        Assert.That(layer.Symbolic.Any, Is.False);
    }

    [Test]
    public void FrozenSplinesLeaveOnlyAffineParametersToTrain()
    {
        using var net = new KanNetwork(new[] { 2, 2, 1 }, new KanOptions(GridSize: 5));
        Assert.That(net.TrainableParameters.Count, Is.EqualTo(6));
        net.FixSymbolic(new EdgeId(0, 0, 1), SymbolicFunction.X, 1, 0, 1, 0);
        net.FixSymbolic(new EdgeId(1, 1, 0), SymbolicFunction.Sin, 1, 0, 1, 0);
        Assert.That(net.TrainableParameters.Count, Is.EqualTo(8));
        Assert.That(net.ParameterCount, Is.EqualTo(2 * 2 * (8 + 2) + 2 * 1 * (8 + 2) + 2 * 4));
        net.SplinesFrozen = true;
        Assert.That(net.TrainableParameters, Is.EqualTo(new[] { net.Layers[0].Symbolic.Affine, net.Layers[1].Symbolic.Affine }));
        Assert.That(net.ParameterCount, Is.EqualTo(8));
    }

    [Test]
    public void SnappingRecoversTheFunctionASplineRepresents()
    {
        // A one-edge KAN whose spline (G = 20, base term off) is the least-squares fit of 1.5·sin(2x + 0.3) − 0.2.
        using var net = new KanNetwork(new[] { 1, 1 }, new KanOptions(GridSize: 20));
        var layer = net.Layers[0];
        var x = linspace(-1, 1, 400, ScalarType.Float64).view(-1, 1);
        var target = 1.5 * (2 * x + 0.3).sin() - 0.2;
        using (no_grad())
        {
            using var basis = new BSplineBasis(layer.Grid, ScalarType.Float64, CPU);
            var A = basis.Evaluate(x.t().contiguous(), 0).view(1, 400, layer.Grid.BasisCount);
            layer.Coefficients.copy_(SplineFit.LeastSquares(A, target.view(1, 400, 1)));
            layer.BaseWeight.fill_(0);
            layer.SplineWeight.fill_(1);
        }
        var snaps = net.AutoSymbolic(x, _ => SymbolicLibrary.All, minR2: 0.9999);
        Assert.That(snaps, Has.Count.EqualTo(1));
        var fit = snaps[0].Fit;
        Assert.That(snaps[0].Fixed, Is.True);
        Assert.That(fit.Function, Is.SameAs(SymbolicFunction.Sin), fit.ToString());
        Assert.That(fit.A, Is.EqualTo(2).Within(1e-4));
        Assert.That(fit.B, Is.EqualTo(0.3).Within(1e-4));
        Assert.That(fit.C, Is.EqualTo(1.5).Within(1e-4));
        Assert.That(fit.D, Is.EqualTo(-0.2).Within(1e-4));
        Assert.That((net.Forward(x) - target).abs().max().item<double>(), Is.LessThan(1e-4));
        Assert.That(net.AutoSymbolic(x, _ => SymbolicLibrary.All, 0.9999), Is.Empty, "a snapped edge is not snapped again");
    }

    private static void AssertClose(Tensor a, Tensor b)
    {
        Assert.That(a.shape, Is.EqualTo(b.shape));
        double scale = b.abs().max().item<double>();
        double diff = (a - b).abs().max().item<double>();
        Assert.That(diff, Is.LessThanOrEqualTo(1e-10 * Math.Max(scale, 1e-300)), $"max diff {diff:E3} vs scale {scale:E3}");
    }
}
