using Kan.Pde.Problems.Anderson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

/// <summary>The analytic mobility edges solved for E, checked against the edge equations they solve.</summary>
public class MobilityEdgeTheoryTests
{
    private static readonly double[] Strengths = { 0.3, 1.0, 1.9, 2.0, 2.5, 4.0 };

    [Test]
    public void MosaicPeriodTwoEdgeSolvesLambdaAbsEEqualsTwo()
    {
        var family = ChainFamily.Mosaic(2);
        foreach (double lambda in Strengths)
        {
            var edge = family.EdgeEnergies(new[] { lambda, 0.7 });
            Assert.That(edge, Has.Length.EqualTo(2));
            Assert.That(edge[0], Is.GreaterThan(0));
            Assert.That(edge[1], Is.EqualTo(-edge[0]));
            foreach (double e in edge) Assert.That(lambda * Math.Abs(e), Is.EqualTo(2).Within(1e-14), $"λ = {lambda}");
        }
        Assert.That(family.EdgeEnergies(new[] { 0.0, 0.7 }), Is.All.NaN, "λ = 0 has no edge");
    }

    [Test]
    public void MosaicPeriodThreeEdgeSolvesLambdaAbsESquaredMinusOneEqualsTwo()
    {
        var family = ChainFamily.Mosaic(3);
        foreach (double lambda in Strengths)
        {
            var edge = family.EdgeEnergies(new[] { lambda, 0.7 });
            Assert.That(edge, Has.Length.EqualTo(4));
            var existing = edge.Where(double.IsFinite).ToArray();
            // λ|E² − 1| = 2 has the roots E² = 1 ± 2/λ: four real ones from λ = 2 on (E = 0 twice at λ = 2), two below.
            Assert.That(existing, Has.Length.EqualTo(lambda >= 2 ? 4 : 2), $"λ = {lambda}");
            foreach (double e in existing) Assert.That(lambda * Math.Abs(e * e - 1), Is.EqualTo(2).Within(1e-13), $"λ = {lambda}, E = {e}");
            Assert.That(edge[0], Is.GreaterThan(1));
            Assert.That(edge[2], Is.EqualTo(-edge[0]));
        }
        var atFour = family.EdgeEnergies(new[] { 4.0, 0.0 });
        Assert.That(atFour, Is.EqualTo(new[] { Math.Sqrt(1.5), Math.Sqrt(0.5), -Math.Sqrt(1.5), -Math.Sqrt(0.5) }).Within(1e-15));
    }

    [Test]
    public void MosaicEdgeEnergiesSeparateTheChainsExtendedAndLocalizedStates()
    {
        // The chain's own verdict must flip across each edge energy: the two are the same equation.
        foreach (int period in new[] { 2, 3 })
            foreach (double lambda in Strengths)
            {
                var chain = new MosaicChain(period, lambda, 0.0);
                foreach (double e in MosaicChain.EdgeEnergies(period, lambda).Where(double.IsFinite).Where(e => e != 0))
                    Assert.That(chain.ExtendedByTheory(e - 1e-6), Is.Not.EqualTo(chain.ExtendedByTheory(e + 1e-6)), $"κ = {period}, λ = {lambda}, E = {e}");
            }
    }

    [Test]
    public void MosaicEdgeEnergiesAreWrittenOutForPeriodsTwoAndThreeOnly() =>
        Assert.That(() => ChainFamily.Mosaic(4).EdgeEnergies(new[] { 1.0, 0.0 }), Throws.TypeOf<NotSupportedException>());

    [Test]
    public void GaamEdgeSolvesAlphaEEqualsTwoOneMinusLambdaOnTheSideOfItsSign()
    {
        var family = ChainFamily.GeneralizedAubryAndre();
        foreach (double alpha in new[] { -0.8, -0.31, 0.07, 0.5 })
            foreach (double lambda in new[] { 0.0, 0.5, 1.3 })
            {
                var edge = family.EdgeEnergies(new[] { alpha, lambda, 1.1 });
                Assert.That(edge, Has.Length.EqualTo(2));
                double e = alpha > 0 ? edge[0] : edge[1];
                Assert.That(alpha > 0 ? edge[1] : edge[0], Is.NaN);
                Assert.That(alpha * e, Is.EqualTo(2 * (1 - lambda)).Within(1e-14), $"α = {alpha}, λ = {lambda}");
            }
        Assert.That(family.EdgeEnergies(new[] { 0.0, 0.5, 1.1 }), Is.All.NaN, "α = 0 has no edge");
    }

    [Test]
    public void MaamEdgeSolvesLambdaCoshPEqualsEPlusExpP()
    {
        var family = ChainFamily.LongRangeAubryAndre();
        foreach (double p in new[] { 0.5, 1.0, 2.5 })
            foreach (double lambda in new[] { 0.0, 1.0, 3.7 })
            {
                var edge = family.EdgeEnergies(new[] { p, lambda, 0.2 });
                Assert.That(edge, Has.Length.EqualTo(1));
                Assert.That(lambda * Math.Cosh(p), Is.EqualTo(edge[0] + Math.Exp(p)).Within(1e-13), $"p = {p}, λ = {lambda}");
            }
    }

    [Test]
    public void GaamSweepOfAlphaGivesTheHyperbolaOnBothSidesOfThePole()
    {
        var sweep = new ParameterSweep(ChainFamily.GeneralizedAubryAndre(), "alpha", new Dictionary<string, double> { ["lambda"] = 0.5 });
        var values = sweep.Values(200);
        Assert.That(values[0], Is.EqualTo(-0.8));
        Assert.That(values[^1], Is.EqualTo(0.8).Within(1e-15));
        var branches = sweep.TheoryEdge(values);
        Assert.That(branches, Has.Count.EqualTo(2));
        // 200 points symmetric about α = 0 and none on it: 100 each side.
        Assert.That(branches[0].Values, Has.Length.EqualTo(100).And.All.GreaterThan(0));
        Assert.That(branches[1].Values, Has.Length.EqualTo(100).And.All.LessThan(0));
        foreach (var branch in branches)
            for (int k = 0; k < branch.Values.Length; k++)
                Assert.That(branch.Values[k] * branch.Energies[k], Is.EqualTo(2 * (1 - 0.5)).Within(1e-14));
    }

    [Test]
    public void MosaicThreeSweepHasItsInnerBranchesFromLambdaTwoOn()
    {
        var sweep = new ParameterSweep(ChainFamily.Mosaic(3), "lambda", new Dictionary<string, double>());
        var values = sweep.Values(9);   // 0, 0.5, …, 4
        var branches = sweep.TheoryEdge(values);
        Assert.That(branches, Has.Count.EqualTo(4));
        Assert.That(branches[0].Values, Is.EqualTo(new[] { 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4 }));
        Assert.That(branches[1].Values, Is.EqualTo(new[] { 2, 2.5, 3, 3.5, 4 }));
        Assert.That(branches[3].Energies, Is.EqualTo(branches[1].Energies.Select(e => -e)));
    }

    [Test]
    public void SweepColumnsSitAtCellMidpointsWithFixedValuesAndDrawnPhases()
    {
        var family = ChainFamily.LongRangeAubryAndre();
        var sweep = new ParameterSweep(family, "lambda", new Dictionary<string, double> { ["p"] = 1.0 });
        var columns = sweep.Columns(4, new Random(3));
        var random = new Random(3);
        for (int c = 0; c < 4; c++)
        {
            Assert.That(columns[c][0], Is.EqualTo(1.0));
            Assert.That(columns[c][1], Is.EqualTo(4.0 * (c + 0.5) / 4).Within(1e-15));   // λ ∈ [0, 4]
            Assert.That(columns[c][2], Is.EqualTo(2 * Math.PI * random.NextDouble()));
        }
        Assert.That(() => new ParameterSweep(family, "lambda", new Dictionary<string, double> { ["lambda"] = 1 }), Throws.ArgumentException);
        Assert.That(() => new ParameterSweep(family, "lambda", new Dictionary<string, double> { ["q"] = 1 }), Throws.ArgumentException);
    }
}
