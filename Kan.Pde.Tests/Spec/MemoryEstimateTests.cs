using Kan.Pde.Runner.Spec;
using NUnit.Framework;

namespace Kan.Pde.Tests.Spec;

/// <summary>
/// The memory estimate against peak resident memory measured with /usr/bin/time on <c>solve</c> (2 Adam steps at 10k
/// and 40k random points, float64; the difference divided by 30k points): KAN [2,10,1] G=20 used 12.6 kB per point,
/// MLP [2,100,100,100,1] tanh 67 kB per point. The estimate must stay within a factor of two of both.
/// </summary>
public class MemoryEstimateTests
{
    private static double PerPoint(ModelSpec model, int grid) =>
        MemoryEstimate.Of(model, 2, 1, 1000, 0, 2, grid, 2, 8).Training / 1000;

    [Test]
    public void KanTrainingMemoryPerPointMatchesTheMeasurement()
    {
        var kan = new ModelSpec(ModelType.Kan, new[] { 2, 10, 1 }, new KanSpec(20, 3, -1, 1, 0.02, "silu"), null);
        Assert.That(PerPoint(kan, 20), Is.InRange(12.6e3 / 2, 12.6e3 * 2));
    }

    [Test]
    public void MlpTrainingMemoryPerPointMatchesTheMeasurement()
    {
        var mlp = new ModelSpec(ModelType.Mlp, new[] { 2, 100, 100, 100, 1 }, null, new MlpSpec("tanh"));
        Assert.That(PerPoint(mlp, 0), Is.InRange(67e3 / 2, 67e3 * 2));
    }

    [Test]
    public void ParametersCountOptimizerHistory()
    {
        // KAN [2,10,1] at G = 20, k = 3: 30 edges × (20 + 3 + 2) = 750 parameters, as the bench reports.
        var kan = new ModelSpec(ModelType.Kan, new[] { 2, 10, 1 }, new KanSpec(5, 3, -1, 1, 0.02, "silu"), null);
        var lbfgs = MemoryEstimate.Of(kan, 2, 1, 0, 0, 2, 20, 2 * 10 + 4, 8);
        Assert.That(lbfgs.Parameters, Is.EqualTo(750.0 * (4 + 24) * 8));
        Assert.That(MemoryEstimate.Of(kan, 2, 1, 0, 0, 2, 20, 24, 4).Parameters, Is.EqualTo(lbfgs.Parameters / 2), "float32 halves it");
    }

    [Test]
    public void ThePaperSpecNeedsLittle()
    {
        // poisson-2d-paper: KAN [2,10,1] up to G = 20, 10,000 + 800 points, a 101² evaluation mesh: well under 1 GB.
        var kan = new ModelSpec(ModelType.Kan, new[] { 2, 10, 1 }, new KanSpec(5, 3, -1, 1, 1.0, "silu"), null);
        double total = MemoryEstimate.Of(kan, 2, 1, 10_800, 101 * 101, 2, 20, 24, 8).Total;
        Assert.That(total, Is.InRange(50e6, 1e9));
    }
}
