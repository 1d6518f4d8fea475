using Kan.Pde.Core.Adaptive;
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Sampling;
using Kan.Pde.Core.Training;
using Kan.Pde.Tests.Problems;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Adaptive;

/// <summary>RAD moves points to where a planted residual is large; RBA weights grow where the residual is large.</summary>
public class ResidualAdaptiveSamplingTests
{
    /// <summary>A problem whose interior residual is a fixed bump around (0.5, 0.5), whatever the network.</summary>
    private sealed class PlantedBump : IPdeProblem
    {
        public string Family => "planted";
        public int InputDimension => 2;
        public int OutputDimension => 1;
        public IReadOnlyList<string> LossTermNames { get; } = new[] { "pde", "boundary" };
        public IExactSolution? Exact => null;

        public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
        {
            var x = points.Interior;
            var r = (-50 * ((x.select(1, 0) - 0.5).square() + (x.select(1, 1) - 0.5).square())).exp();
            return new[] { LossTerm.OfResiduals("pde", r, PointSet.Interior), LossTerm.OfResiduals("boundary", zeros(points.Boundary.shape[0], dtype: x.dtype), PointSet.Boundary) };
        }
    }

    private static readonly Box Square = new(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) });

    private static double NearBump(Tensor x) =>
        ((x.select(1, 0) - 0.5).square() + (x.select(1, 1) - 0.5).square() < 0.3 * 0.3).to(ScalarType.Float64).mean().item<double>();

    [Test]
    public void RadConcentratesPointsWhereThePlantedResidualIsLarge()
    {
        var sampler = new CollocationSampler(Square, new PointPlacement(SamplerKind.Sobol, 500), new PointPlacement(SamplerKind.Sobol, 64), 0);
        var start = sampler.Next(ScalarType.Float64, CPU);
        var field = new ExpressionField(ExpressionParser.Parse("0", new[] { "x", "y" }));
        var rad = new PointResampler(sampler, null, new ResidualAdaptiveSampling(Every: 10, Exponent: 2, Constant: 0, Candidates: 5000),
            new PlantedBump(), field, LossWeights.Uniform, seed: 0);
        Assert.That(rad.After(3, start), Is.Null, "not due before step 10");
        var moved = rad.After(9, start)!;
        double area = Math.PI * 0.09 / 4;
        Assert.That(NearBump(start.Interior), Is.EqualTo(area).Within(0.02), "uniform before");
        Assert.That(NearBump(moved.Interior), Is.GreaterThan(0.6), "most points gather at the bump");
        Assert.That(moved.Interior.shape[0], Is.EqualTo(500));
        Assert.That(moved.Boundary.allclose(start.Boundary, 0, 0), "the boundary is left alone");
        // With a large constant the distribution stays nearly uniform.
        var mild = new PointResampler(sampler, null, new ResidualAdaptiveSampling(10, 2, Constant: 100, Candidates: 5000),
            new PlantedBump(), field, LossWeights.Uniform, seed: 0).After(9, start)!;
        Assert.That(NearBump(mild.Interior), Is.LessThan(0.15));
    }

    [Test]
    public void RbaWeightsGrowWithTheResidual()
    {
        var weights = new PointWeights(new ResidualPointWeights(Decay: 0.9, Rate: 0.1));
        var r = tensor(new[] { 0.0, 0.5, 1.0 });
        var term = LossTerm.OfResiduals("pde", r, PointSet.Interior);
        Assert.That(weights.WeightedMeanSquare(term).item<double>(), Is.EqualTo((0 + 0.25 + 1) / 3.0).Within(1e-15), "λ starts at 1");
        weights.Update();
        Assert.That(weights.Of("pde")!.data<double>().ToArray(), Is.EqualTo(new[] { 0.9, 0.95, 1.0 }).Within(1e-15));
        for (int i = 0; i < 200; i++)
        {
            weights.WeightedMeanSquare(term);
            weights.Update();
        }
        // Fixed point λ = η/(1 − γ)·|r|/max|r| = (0, 0.5, 1).
        Assert.That(weights.Of("pde")!.data<double>().ToArray(), Is.EqualTo(new[] { 0.0, 0.5, 1.0 }).Within(1e-8));
    }
}
