using Kan.Pde.Problems.Anderson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

public class ChainHamiltonianTests
{
    private static readonly double B = (1 + Math.Sqrt(5)) / 2;

    [Test]
    public void MosaicPotentialSitsOnEveryKappaThSite()
    {
        const double lambda = 1.7, phi = 0.4;
        var h = new MosaicChain(2, lambda, phi).Hamiltonian(4, LatticeBoundary.Open);
        double[,] expected =
        {
            { lambda * Math.Cos(phi), 1, 0, 0 },
            { 1, 0, 1, 0 },
            { 0, 1, lambda * Math.Cos(2 * Math.PI * B * 2 + phi), 1 },
            { 0, 0, 1, 0 },
        };
        AssertMatrix(h.ToArray(), expected);

        var ring = new MosaicChain(2, lambda, phi).Hamiltonian(4, LatticeBoundary.Periodic).ToArray();
        expected[0, 3] = expected[3, 0] = 1;
        AssertMatrix(ring, expected);
    }

    [Test]
    public void MosaicThreeLeavesTwoSitesFree()
    {
        var h = new MosaicChain(3, 2.0, 0.0).Hamiltonian(7, LatticeBoundary.Open);
        var diagonal = Enumerable.Range(0, 7).Select(n => h[n, n]).ToArray();
        double[] expected = { 2.0, 0, 0, 2 * Math.Cos(2 * Math.PI * B * 3), 0, 0, 2 * Math.Cos(2 * Math.PI * B * 6) };
        Assert.That(diagonal, Is.EqualTo(expected).Within(1e-14));
    }

    [Test]
    public void GeneralizedAubryAndrePotential()
    {
        const double alpha = -0.6, lambda = 0.8, phi = 1.1;
        var h = new GeneralizedAubryAndreChain(alpha, lambda, phi).Hamiltonian(3, LatticeBoundary.Open);
        for (int n = 0; n < 3; n++)
        {
            double c = Math.Cos(2 * Math.PI * B * n + phi);
            Assert.That(h[n, n], Is.EqualTo(2 * lambda * c / (1 - alpha * c)).Within(1e-14));
        }
        Assert.That(h[0, 1], Is.EqualTo(1));
        Assert.That(h[1, 2], Is.EqualTo(1));
        Assert.That(h[0, 2], Is.EqualTo(0));
    }

    [Test]
    public void LongRangeHoppingDecaysFromOneAtNearestNeighbours()
    {
        const double p = 0.9;
        var chain = new LongRangeAubryAndreChain(p, 0, 0);
        var open = chain.Hamiltonian(4, LatticeBoundary.Open);
        double e1 = Math.Exp(-p), e2 = Math.Exp(-2 * p);
        double[,] expected =
        {
            { 0, 1, e1, e2 },
            { 1, 0, 1, e1 },
            { e1, 1, 0, 1 },
            { e2, e1, 1, 0 },
        };
        AssertMatrix(open.ToArray(), expected);

        // On a ring of 4, sites 0 and 3 are neighbours and 0, 2 are two apart either way.
        var ring = chain.Hamiltonian(4, LatticeBoundary.Periodic).ToArray();
        double[,] ringExpected =
        {
            { 0, 1, e1, 1 },
            { 1, 0, 1, e1 },
            { e1, 1, 0, 1 },
            { 1, e1, 1, 0 },
        };
        AssertMatrix(ring, ringExpected);
    }

    [Test]
    public void MosaicEdgeFunctionsAreChebyshevPolynomials()
    {
        foreach (double e in new[] { -2.5, -0.3, 0.0, 1.7 })
        {
            Assert.That(MosaicChain.EdgeFunction(1, e), Is.EqualTo(1.0));
            Assert.That(MosaicChain.EdgeFunction(2, e), Is.EqualTo(e).Within(1e-15));
            Assert.That(MosaicChain.EdgeFunction(3, e), Is.EqualTo(e * e - 1).Within(1e-14));
            Assert.That(MosaicChain.EdgeFunction(4, e), Is.EqualTo(e * e * e - 2 * e).Within(1e-13));
        }
    }

    [TestCase("mosaic2")]
    [TestCase("gaam")]
    [TestCase("maam")]
    public void TheAnalyticMobilityEdgeSeparatesSmallChainsStates(string model)
    {
        // Independent check of the models and the edges: three 300-site chains per model, labels from D > 0.5.
        // The edges are exact for infinite chains; at N = 300 states near them have intermediate D.
        var family = model switch
        {
            "mosaic2" => ChainFamily.Mosaic(2),
            "gaam" => ChainFamily.GeneralizedAubryAndre(),
            _ => ChainFamily.LongRangeAubryAndre(),
        };
        var data = MobilityEdgeData.Generate(family, 3, 300, LatticeBoundary.Open, seed: 5);
        Assert.That(data.TheoryAccuracy(), Is.GreaterThan(0.95));
        Assert.That(data.ExtendedFraction(), Is.InRange(0.1, 0.9));
    }

    private static void AssertMatrix(double[,] actual, double[,] expected)
    {
        Assert.That(actual.GetLength(0), Is.EqualTo(expected.GetLength(0)));
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.That(actual[i, j], Is.EqualTo(expected[i, j]).Within(1e-14), $"H[{i},{j}]");
    }
}
