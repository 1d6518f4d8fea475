using Kan.Pde.Problems.Anderson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

public class LearnedEdgeTests
{
    /// <summary>
    /// States of <paramref name="chains"/> chains drawn as <see cref="MobilityEdgeData.FromArrays"/> redraws them, with energies
    /// uniform in [−3, 3]; <paramref name="logit"/> (parameters, E) is the classifier, and the labels are drawn with probability
    /// σ(logit), so that a logistic fit to them estimates the same edge.
    /// </summary>
    private static (MobilityEdgeData Data, double[] Logits) Synthetic(ChainFamily family, int chains, Func<double[], double, double> logit)
    {
        const int size = 10, seed = 5;
        var draw = new Random(seed);
        var parameters = Enumerable.Range(0, chains).Select(_ => family.Parameters.Select(r => r.Draw(draw)).ToArray()).ToArray();
        var random = new Random(11);
        int d = family.Features.Count, count = chains * size;
        var features = new double[count * d];
        var dims = new double[count];
        var logits = new double[count];
        var index = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = i / size;
            double e = -3 + 6 * random.NextDouble();
            family.FillFeatures(parameters[c], e, features.AsSpan(i * d, d));
            logits[i] = logit(parameters[c], e);
            dims[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logits[i])) ? 0.9 : 0.1;
            index[i] = c;
        }
        return (MobilityEdgeData.FromArrays(family, size, LatticeBoundary.Open, seed, features, dims, new bool[count], index), logits);
    }

    [Test]
    public void AClassifierOnTheGaamEdgeGivesItsCoefficients()
    {
        // A logit proportional to 2(1 − λ) − αE (extended below the edge): the form αE + aλ + b = 0 must come back with
        // a = 2, b = −2 to solver precision; labels drawn from it give the same edge up to sampling noise.
        var family = ChainFamily.GeneralizedAubryAndre();
        var (data, logits) = Synthetic(family, 600, (p, e) => 3 * (2 * (1 - p[1]) - p[0] * e));
        var fit = LearnedEdge.FitGeneralizedAubryAndre(data, logits);
        Assert.That(fit.Coefficients["a"], Is.EqualTo(2).Within(1e-8));
        Assert.That(fit.Coefficients["b"], Is.EqualTo(-2).Within(1e-8));
        Assert.That(fit.Agreement, Is.EqualTo(1));
        Assert.That(fit.States, Is.EqualTo(6000));
        TestContext.Out.WriteLine($"data labels: a = {fit.DataCoefficients["a"]:G5}, b = {fit.DataCoefficients["b"]:G5}");
        Assert.That(fit.DataCoefficients["a"], Is.EqualTo(2).Within(0.2));
        Assert.That(fit.DataCoefficients["b"], Is.EqualTo(-2).Within(0.2));
    }

    [Test]
    public void AClassifierOnTheMaamEdgeGivesItsCoefficients()
    {
        var family = ChainFamily.LongRangeAubryAndre();
        var (data, logits) = Synthetic(family, 300, (p, e) => 2 * (e - LongRangeAubryAndreChain.EdgeEnergy(p[0], p[1])));
        var fit = LearnedEdge.FitLongRangeAubryAndre(data, logits);
        Assert.That(fit.Coefficients["c1"], Is.EqualTo(1).Within(1e-8));
        Assert.That(fit.Coefficients["c2"], Is.EqualTo(-1).Within(1e-8));
        Assert.That(fit.Coefficients["c0"], Is.EqualTo(0).Within(1e-8));
    }
}
