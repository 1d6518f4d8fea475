using Kan.Pde.Core.Interpretation;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using Kan.Pde.Runner.Results;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Results;

public class KanPlotTests
{
    [Test]
    public void LayoutSizeFollowsTheBusiestRow()
    {
        // [2,2,1]: 4 boxes between inputs and hidden nodes, 2 above; two layers.
        Assert.That(KanPlot.ImageSize(new[] { 2, 2, 1 }),
            Is.EqualTo((2 * KanPlot.Side + 4 * (KanPlot.Box + KanPlot.BoxGap), KanPlot.Bottom + KanPlot.Top + 2 * KanPlot.LayerHeight)));
        Assert.That(KanPlot.ImageSize(new[] { 2, 2, 1 }), Is.EqualTo((556, 635)));
        Assert.That(KanPlot.ImageSize(new[] { 4, 3, 1, 1 }), Is.EqualTo((100 + 12 * 114, 135 + 3 * 250)));
        Assert.That(KanPlot.ImageSize(new[] { 7, 1 }), Is.EqualTo((100 + 7 * 114, 135 + 250)));
    }

    [Test]
    public void EveryEdgeIsCapturedAndThePlotIsWritten()
    {
        var generator = new Generator(9);
        using var net = new KanNetwork(new[] { 2, 3, 1 }, new KanOptions(GridSize: 5, NoiseScale: 2.0), generator: generator);
        var x = rand(new long[] { 300, 2 }, ScalarType.Float64, generator: generator) * 2 - 1;
        net.FixSymbolic(new EdgeId(1, 0, 0), SymbolicFunction.Sin, 2, 0.1, 0.5, 0);
        using (no_grad()) net.Layers[0].Mask[1, 2] = 0;

        var diagram = KanDiagram.Capture(net, x, new[] { "x", "y" }, new[] { "u" }, maxPoints: 100);

        Assert.That(diagram.Edges, Has.Count.EqualTo(2 * 3 + 3 * 1));
        Assert.That(diagram.Edges.Select(e => e.Edge), Is.Unique);
        Assert.That(diagram.Edges.All(e => e.Inputs.Length == 100 && e.Values.Length == 100));
        Assert.That(diagram.Edges.All(e => e.Inputs.Zip(e.Inputs.Skip(1)).All(p => p.First <= p.Second)), "inputs ascending");
        Assert.That(diagram.Edges.Single(e => e.Edge == new EdgeId(1, 0, 0)).Function, Is.EqualTo("sin"));
        Assert.That(diagram.Edges.Single(e => e.Edge == new EdgeId(0, 1, 2)).Pruned, Is.True);
        // The first layer's curves span the sampled inputs.
        var first = diagram.Edges.First();
        Assert.That(first.Inputs[0], Is.EqualTo(x.select(1, 0).min().item<double>()));
        Assert.That(first.Inputs[^1], Is.EqualTo(x.select(1, 0).max().item<double>()));

        string dir = Path.Combine(Path.GetTempPath(), $"kanplot-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "kan.png");
            KanPlot.Save(path, diagram, "KAN [2,3,1]");
            Assert.That(PngHeader.ReadSize(path), Is.EqualTo(KanPlot.ImageSize(new[] { 2, 3, 1 })));
            Assert.That(new FileInfo(path).Length, Is.GreaterThan(5_000));
            if (Environment.GetEnvironmentVariable("KAN_PLOT_KEEP") is { Length: > 0 } keep) File.Copy(path, keep, overwrite: true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
