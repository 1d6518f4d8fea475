using Kan.Pde.Problems.Anderson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

public class LearnedEdgeTests
{
    [Test]
    public void PointsOnTheGaamEdgeGiveItsCoefficients()
    {
        // Points on αE = 2(1 − λ) at scattered (α, λ, φ): the fit αE + aλ + b = 0 must return a = 2, b = −2 exactly.
        var family = ChainFamily.GeneralizedAubryAndre();
        var random = new Random(4);
        var points = Enumerable.Range(0, 40).Select(_ =>
        {
            double alpha = 0.1 + 0.7 * random.NextDouble(), lambda = 2 * random.NextDouble(), phi = 6 * random.NextDouble();
            return new EdgePoint(new[] { random.Next(2) == 0 ? alpha : -alpha, lambda, phi }, 0);
        }).Select(p => p with { Energy = 2 * (1 - p.Parameters[1]) / p.Parameters[0] }).ToArray();
        var fit = LearnedEdge.FitGeneralizedAubryAndre(points, family);
        Assert.That(fit.Coefficients["a"], Is.EqualTo(2).Within(1e-10));
        Assert.That(fit.Coefficients["b"], Is.EqualTo(-2).Within(1e-10));
        Assert.That(fit.RSquared, Is.EqualTo(1).Within(1e-12));
        Assert.That(fit.Points, Is.EqualTo(40));
    }

    [Test]
    public void PointsOnTheMaamEdgeGiveItsCoefficients()
    {
        var family = ChainFamily.LongRangeAubryAndre();
        var random = new Random(9);
        var points = Enumerable.Range(0, 30).Select(_ =>
        {
            double p = 0.5 + 2 * random.NextDouble(), lambda = 4 * random.NextDouble();
            return new EdgePoint(new[] { p, lambda, 1.0 }, LongRangeAubryAndreChain.EdgeEnergy(p, lambda));
        }).ToArray();
        var fit = LearnedEdge.FitLongRangeAubryAndre(points, family);
        Assert.That(fit.Coefficients["c1"], Is.EqualTo(1).Within(1e-10));
        Assert.That(fit.Coefficients["c2"], Is.EqualTo(-1).Within(1e-10));
        Assert.That(fit.Coefficients["c0"], Is.EqualTo(0).Within(1e-9));
    }
}
