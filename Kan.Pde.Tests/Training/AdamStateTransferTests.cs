using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

/// <summary>Adam's moments carried across a grid extension.</summary>
public class AdamStateTransferTests
{
    [Test]
    public void MomentsFollowTheCoefficientsOntoTheFinerGrid()
    {
        var net = new KanNetwork(new[] { 2, 3, 1 }, new KanOptions(GridSize: 4), ScalarType.Float64, CPU, new Generator(1));
        var x = rand(new long[] { 300, 2 }, ScalarType.Float64, generator: new Generator(2)) * 2 - 1;
        using var adam = new AdamOptimizer(net.TrainableParameters.ToList(), new AdamOptions { LearningRate = 1e-2 });
        for (int i = 0; i < 5; i++)
            adam.Step(() =>
            {
                foreach (var p in net.TrainableParameters) p.grad?.zero_();
                var loss = (net.Forward(x).squeeze(1) - x.select(1, 0) * x.select(1, 1)).square().mean();
                loss.backward();
                return loss;
            });
        var before = adam.GetMoments();
        var layer = net.Layers[0];
        var oldGrid = layer.Grid;
        using var carried = AdamStateTransfer.Capture(adam, net, x);
        net.ExtendGrid(8, x);
        using var fresh = new AdamOptimizer(net.TrainableParameters.ToList());
        carried.Restore(fresh);
        var after = fresh.GetMoments();
        Assert.That(after.Select(m => m.Step), Is.All.EqualTo(5L), "step counts (bias correction) carry over");
        for (int i = 0; i < after.Count; i++)
        {
            if (!before[i].ExpAvg.shape.SequenceEqual(after[i].ExpAvg.shape)) continue;
            Assert.That(after[i].ExpAvg.allclose(before[i].ExpAvg, 0, 0), $"unchanged parameter {i} keeps its moments");
        }
        // G = 4 → 8 on a uniform grid is a refinement: the old "moment spline" is reproduced exactly by the new one.
        Assert.That(after[0].ExpAvg.shape, Is.EqualTo(new long[] { 2, 11, 3 }));
        var oldValues = AdamStateTransfer.Refit(before[0].ExpAvg, oldGrid, oldGrid, x);
        Assert.That((oldValues - before[0].ExpAvg).abs().max().item<double>(), Is.LessThan(1e-10), "refit onto the same grid is the identity");
        var back = AdamStateTransfer.Refit(after[0].ExpAvg, layer.Grid, oldGrid, x);
        Assert.That((back - before[0].ExpAvg).abs().max().item<double>(), Is.LessThan(1e-9 * before[0].ExpAvg.abs().max().item<double>() + 1e-14));
        Assert.That(after[0].ExpAvgSq.min().item<double>(), Is.GreaterThanOrEqualTo(0));
        foreach (var m in before.Concat(after)) m.Dispose();
    }
}
