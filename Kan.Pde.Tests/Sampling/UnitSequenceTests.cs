using Kan.Pde.Core.Sampling;
using NUnit.Framework;

namespace Kan.Pde.Tests.Sampling;

/// <summary>The unit-cube sequences: known points, stratification and continuation.</summary>
public class UnitSequenceTests
{
    [Test]
    public void SobolStartsAfterTheOriginWithTheKnownFirstPoints()
    {
        // The first Sobol points in two dimensions after (0, 0) (Gray-code order).
        var points = new SobolSequence(2).Next(6);
        Assert.That(points, Is.EqualTo(new[] { 0.5, 0.5, 0.75, 0.25, 0.25, 0.75, 0.375, 0.375, 0.875, 0.875, 0.625, 0.125 }));
    }

    [TestCase(2, 10)]
    [TestCase(8, 8)]
    public void EveryCoordinateOfTheFirstPowerOfTwoPointsIsAStratification(int dimension, int m)
    {
        // With the skipped origin added back, the first 2^m points of every coordinate hit each of the 2^m strata once.
        int n = 1 << m;
        var points = new SobolSequence(dimension).Next(n - 1);
        for (int d = 0; d < dimension; d++)
        {
            var hit = new bool[n];
            hit[0] = true;
            for (int i = 0; i < n - 1; i++)
            {
                int stratum = (int)(points[i * dimension + d] * n);
                Assert.That(hit[stratum], Is.False, $"coordinate {d}: stratum {stratum} hit twice");
                hit[stratum] = true;
            }
        }
    }

    [Test]
    public void TheFirstTwoSobolCoordinatesFormANet()
    {
        // (0, m, 2)-net: every elementary box of area 2^-m (2^a × 2^(m−a) cells) holds exactly one of the first 2^m points.
        const int m = 8, n = 1 << m;
        var points = new SobolSequence(2).Next(n - 1).Concat(new[] { 0.0, 0.0 }).ToArray();
        for (int a = 0; a <= m; a++)
        {
            var count = new int[1 << a, 1 << (m - a)];
            for (int i = 0; i < n; i++) count[(int)(points[2 * i] * (1 << a)), (int)(points[2 * i + 1] * (1 << (m - a)))]++;
            Assert.That(count.Cast<int>().All(c => c == 1), $"boxes 2^-{a} × 2^-{m - a}");
        }
    }

    [Test]
    public void SequencesContinueInsteadOfRestarting()
    {
        var whole = new SobolSequence(3).Next(20);
        var split = new SobolSequence(3);
        var joined = split.Next(7).Concat(split.Next(13)).ToArray();
        Assert.That(joined, Is.EqualTo(whole));
        var halton = new HaltonSequence(2);
        Assert.That(halton.Next(3).Concat(halton.Next(2)), Is.EqualTo(new HaltonSequence(2).Next(5)));
    }

    [Test]
    public void HaltonUsesTheRadicalInverseInPrimeBases()
    {
        var points = new HaltonSequence(2).Next(4);
        Assert.That(points, Is.EqualTo(new[] { 0.5, 1.0 / 3, 0.25, 2.0 / 3, 0.75, 1.0 / 9, 0.125, 4.0 / 9 }).Within(1e-15));
    }

    [Test]
    public void LatinHypercubePutsOnePointInEveryStratumOfEveryAxis()
    {
        var lhs = new LatinHypercube(3, seed: 5);
        for (int draw = 0; draw < 2; draw++)
        {
            const int n = 50;
            var points = lhs.Next(n);
            for (int d = 0; d < 3; d++)
                Assert.That(Enumerable.Range(0, n).Select(i => (int)(points[i * 3 + d] * n)).OrderBy(s => s), Is.EqualTo(Enumerable.Range(0, n)));
        }
        Assert.That(new LatinHypercube(3, 5).Next(10), Is.EqualTo(new LatinHypercube(3, 5).Next(10)), "same seed, same design");
        Assert.That(new LatinHypercube(3, 5).Next(10), Is.Not.EqualTo(new LatinHypercube(3, 6).Next(10)));
    }

    [Test]
    public void LowDiscrepancySequencesAreMoreEvenThanRandomPoints()
    {
        // Warnock's closed form of the L2 star discrepancy; for N = 1024 in 4-D random points give about 6e-3, Sobol and Halton points about 1.5e-3.
        const int n = 1024, dim = 4;
        double sobol = StarDiscrepancy(new SobolSequence(dim).Next(n), dim);
        double halton = StarDiscrepancy(new HaltonSequence(dim).Next(n), dim);
        double random = StarDiscrepancy(RandomPoints(n * dim, 1), dim);
        Assert.That(sobol, Is.LessThan(random / 3), $"sobol {sobol:E2}, random {random:E2}");
        Assert.That(halton, Is.LessThan(random / 3), $"halton {halton:E2}, random {random:E2}");
    }

    private static double[] RandomPoints(int count, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => r.NextDouble()).ToArray();
    }

    /// <summary>The L2 star discrepancy T_N of points in [0,1]^d (Warnock 1972).</summary>
    public static double StarDiscrepancy(double[] x, int d)
    {
        int n = x.Length / d;
        double term2 = 0, term3 = 0;
        for (int i = 0; i < n; i++)
        {
            double p = 1;
            for (int k = 0; k < d; k++) p *= 1 - x[i * d + k] * x[i * d + k];
            term2 += p;
            for (int j = 0; j < n; j++)
            {
                double q = 1;
                for (int k = 0; k < d; k++) q *= 1 - Math.Max(x[i * d + k], x[j * d + k]);
                term3 += q;
            }
        }
        return Math.Sqrt(Math.Pow(3, -d) - Math.Pow(2, 1 - d) / n * term2 + term3 / ((double)n * n));
    }
}
