using Kan.Pde.Core.Interpretation;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Interpretation;

public class PruningTests
{
    private static double Silu(double x) => x / (1 + Math.Exp(-x));

    /// <summary>A [2,3,1] KAN whose edges are pure base terms w·silu(x) with chosen weights (spline scales 0).</summary>
    private static KanNetwork BaseOnly(double[,] first, double[,] second)
    {
        var net = new KanNetwork(new[] { 2, 3, 1 }, new KanOptions(GridSize: 5));
        using (no_grad())
        {
            foreach (var (layer, w) in new[] { (net.Layers[0], first), (net.Layers[1], second) })
            {
                layer.SplineWeight.fill_(0);
                for (int i = 0; i < w.GetLength(0); i++)
                    for (int j = 0; j < w.GetLength(1); j++) layer.BaseWeight[i, j] = w[i, j];
            }
        }
        return net;
    }

    private static readonly double[,] First = { { 1.0, 0.5, -2.0 }, { 0.3, 1e-4, 0.8 } };

    [Test]
    public void EdgeScoresAreMeanAbsoluteActivations()
    {
        using var net = BaseOnly(First, new[,] { { 1.2 }, { -0.7 }, { 0.4 } });
        var x = tensor(new[] { -0.9, 0.2, 0.1, -0.5, 0.6, 0.8, -0.3, 1.0 }, ScalarType.Float64).view(4, 2);
        var importance = KanImportance.Compute(net, x);
        var xs = x.data<double>().ToArray();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                double expected = Enumerable.Range(0, 4).Average(n => Math.Abs(First[i, j] * Silu(xs[2 * n + i])));
                Assert.That(importance.Edge(new EdgeId(0, i, j)), Is.EqualTo(expected).Within(1e-15));
            }
        // Hidden node 1: incoming max(0.5·mean|silu(x0)|, 1e-4·mean|silu(x1)|), outgoing 0.7·mean|silu(h1)|.
        double incoming = Math.Max(importance.Edge(new EdgeId(0, 0, 1)), importance.Edge(new EdgeId(0, 1, 1)));
        Assert.That(importance.Incoming(1, 1), Is.EqualTo(incoming));
        Assert.That(importance.Outgoing(1, 1), Is.EqualTo(importance.Edge(new EdgeId(1, 1, 0))));
        Assert.That(importance.Node(1, 1), Is.EqualTo(Math.Min(incoming, importance.Outgoing(1, 1))));
    }

    [Test]
    public void PruningRemovesAQuietNodeAndWeakEdgesAndKeepsTheOutput()
    {
        // Hidden node 2 passes on almost nothing (outgoing weight 1e-5); edge (0,1,1) is weak (1e-4).
        using var net = BaseOnly(First, new[,] { { 1.2 }, { -0.7 }, { 1e-5 } });
        var x = rand(new long[] { 200, 2 }, ScalarType.Float64, generator: new Generator(5)) * 2 - 1;
        var before = net.Forward(x);
        var result = KanPruning.Prune(net, x, nodeThreshold: 1e-2, edgeThreshold: 1e-3);

        Assert.That(result.Nodes, Is.EqualTo(new[] { new NodeId(1, 2) }));
        Assert.That(result.Edges, Is.EqualTo(new[] { new EdgeId(0, 0, 2), new EdgeId(0, 1, 1), new EdgeId(0, 1, 2), new EdgeId(1, 2, 0) }));
        Assert.That(net.Layers[0].Mask.sum().item<double>(), Is.EqualTo(3));
        Assert.That(net.Layers[1].Mask.sum().item<double>(), Is.EqualTo(2));
        // What was removed was small: node 2 contributed ≤ 1e-5·|silu(h2)|, edge (0,1,1) ≤ 1e-4·0.73 through weight 0.7.
        double change = (net.Forward(x) - before).abs().max().item<double>();
        Assert.That(change, Is.GreaterThan(0).And.LessThan(1e-4));
        Assert.That(KanPruning.Prune(net, x, 1e-2, 1e-3).Edges, Is.Empty, "a second pass finds nothing new");
    }

    [Test]
    public void RegularizationIsTheL1NormPlusEntropyOfEveryLayer()
    {
        var second = new[,] { { 1.2 }, { -0.7 }, { 0.4 } };
        using var net = BaseOnly(First, second);
        var x = rand(new long[] { 50, 2 }, ScalarType.Float64, generator: new Generator(6)) * 2 - 1;
        var regularization = new SparsityRegularization(Weight: 0.1, L1: 2.0, Entropy: 0.5);
        double value = regularization.Value(net, x).item<double>();

        // Independent computation in doubles.
        var xs = x.data<double>().ToArray();
        int n = 50;
        var h = new double[n, 3];
        double expected = 0;
        var norms0 = new double[6];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    double phi = First[i, j] * Silu(xs[2 * k + i]);
                    norms0[i * 3 + j] += Math.Abs(phi) / n;
                    h[k, j] += phi;
                }
            }
        var norms1 = new double[3];
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < n; k++) norms1[j] += Math.Abs(second[j, 0] * Silu(h[k, j])) / n;
        foreach (var norms in new[] { norms0, norms1 })
        {
            double l1 = norms.Sum();
            double entropy = -norms.Sum(v => v / l1 * Math.Log(v / l1));
            expected += 2.0 * l1 + 0.5 * entropy;
        }
        Assert.That(value, Is.EqualTo(expected).Within(1e-12 * expected));
    }

    [Test]
    public void RegularizedTrainingConcentratesActivationOnFewerEdges()
    {
        // Fit u = x0² (y plays no role) with Adam, with and without the regularization: with it, the edges from the
        // unused input carry far less (measured: unused/used 0.62 without, 0.04 with λ = 0.03).
        var x = rand(new long[] { 64, 2 }, ScalarType.Float64, generator: new Generator(7)) * 2 - 1;
        var target = x.select(1, 0).square().unsqueeze(1);
        (double Unused, double Used) Train(double lambda)
        {
            using var net = new KanNetwork(new[] { 2, 2, 1 }, new KanOptions(GridSize: 5), generator: new Generator(8));
            var regularization = new SparsityRegularization(lambda);
            var optimizer = new Kan.Pde.Core.Training.AdamOptimizer(net.TrainableParameters, new Kan.Pde.Core.Training.AdamOptions { LearningRate = 0.04 });
            for (int step = 0; step < 40; step++)
            {
                optimizer.Step(() =>
                {
                    foreach (var p in net.TrainableParameters) p.grad?.zero_();
                    var loss = (net.Forward(x) - target).square().mean();
                    if (lambda > 0) loss = loss + lambda * regularization.Value(net, x);
                    loss.backward();
                    return loss.detach();
                });
            }
            var importance = KanImportance.Compute(net, x);
            double unused = importance.Edge(new EdgeId(0, 1, 0)) + importance.Edge(new EdgeId(0, 1, 1));
            double used = importance.Edge(new EdgeId(0, 0, 0)) + importance.Edge(new EdgeId(0, 0, 1));
            return (unused, used);
        }
        var plain = Train(0);
        var regularized = Train(3e-2);
        TestContext.Out.WriteLine($"unused/used edge activation: plain {plain.Unused:E3}/{plain.Used:E3}, regularized {regularized.Unused:E3}/{regularized.Used:E3}");
        Assert.That(regularized.Unused / regularized.Used, Is.LessThan(0.2 * plain.Unused / plain.Used));
    }
}
