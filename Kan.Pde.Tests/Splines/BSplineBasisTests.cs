using Kan.Pde.Core.Splines;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Splines;

public class BSplineBasisTests
{
    private static KnotGrid AdaptiveGrid(int inputs, int G, int k, int seed)
    {
        var rng = new Random(seed);
        var interior = new double[inputs, G + 1];
        for (int i = 0; i < inputs; i++)
        {
            double t = -1 - rng.NextDouble();
            for (int g = 0; g <= G; g++) { interior[i, g] = t; t += 0.05 + rng.NextDouble(); }
        }
        return KnotGrid.FromInterior(interior, k);
    }

    private static double[] Points(KnotGrid grid, int input, int count, int seed)
    {
        // Points across the whole extended knot vector and a little outside it.
        var rng = new Random(seed);
        double lo = grid[input, 0], hi = grid[input, grid.KnotCount - 1], pad = 0.1 * (hi - lo);
        return Enumerable.Range(0, count).Select(_ => lo - pad + (hi - lo + 2 * pad) * rng.NextDouble()).ToArray();
    }

    private static double[,,,] Evaluate(KnotGrid grid, double[][] xs, int derivatives)
    {
        using var basis = new BSplineBasis(grid, ScalarType.Float64, CPU);
        int n = xs[0].Length;
        var xT = tensor(xs.SelectMany(r => r).ToArray(), new long[] { grid.Inputs, n }, ScalarType.Float64);
        var dense = basis.Evaluate(xT, derivatives).contiguous();
        var flat = dense.data<double>().ToArray();
        var result = new double[grid.Inputs, n, derivatives + 1, grid.BasisCount];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    [TestCase(1, 5)]
    [TestCase(2, 7)]
    [TestCase(3, 5)]
    [TestCase(3, 20)]
    [TestCase(5, 4)]
    public void MatchesCoxDeBoorOnUniformAndAdaptiveKnots(int k, int G)
    {
        foreach (var grid in new[] { KnotGrid.Uniform(2, G, k, -1, 1), AdaptiveGrid(3, G, k, 7) })
        {
            var xs = Enumerable.Range(0, grid.Inputs).Select(i => Points(grid, i, 400, 11 + i)).ToArray();
            var values = Evaluate(grid, xs, 0);
            double worst = 0;
            for (int i = 0; i < grid.Inputs; i++)
                for (int n = 0; n < xs[i].Length; n++)
                {
                    var reference = CoxDeBoor.Evaluate(grid.Extended(i), k, xs[i][n]);
                    Assert.That(reference, Has.Length.EqualTo(grid.BasisCount));
                    for (int m = 0; m < grid.BasisCount; m++) worst = Math.Max(worst, Math.Abs(values[i, n, 0, m] - reference[m]));
                }
            Assert.That(worst, Is.LessThan(1e-13));
        }
    }

    [Test]
    public void PartitionOfUnityInsideInteriorKnots()
    {
        foreach (var grid in new[] { KnotGrid.Uniform(2, 10, 3, -1, 1), AdaptiveGrid(2, 9, 3, 3) })
        {
            var xs = Enumerable.Range(0, grid.Inputs).Select(i =>
            {
                double lo = grid[i, grid.Order], hi = grid[i, grid.Order + grid.GridSize];
                return Enumerable.Range(0, 257).Select(j => lo + (hi - lo) * j / 257.0).ToArray();
            }).ToArray();
            var values = Evaluate(grid, xs, 0);
            for (int i = 0; i < grid.Inputs; i++)
                for (int n = 0; n < xs[i].Length; n++)
                {
                    double sum = 0;
                    for (int m = 0; m < grid.BasisCount; m++) sum += values[i, n, 0, m];
                    Assert.That(sum, Is.EqualTo(1.0).Within(1e-13), $"input {i}, x = {xs[i][n]}");
                }
        }
    }

    [Test]
    public void CubicBasisAtAKnotIsOneSixthTwoThirdsOneSixth()
    {
        var grid = KnotGrid.Uniform(1, 4, 3, -1, 1);          // knots spaced 0.5; x = 0 is interior knot t_2
        var values = Evaluate(grid, new[] { new[] { 0.0 } }, 0);
        var row = Enumerable.Range(0, grid.BasisCount).Select(m => values[0, 0, 0, m]).ToArray();
        Assert.That(row, Is.EqualTo(new[] { 0, 0, 1 / 6.0, 2 / 3.0, 1 / 6.0, 0, 0 }).Within(1e-15));
    }

    [Test]
    public void DerivativesMatchCentralFiniteDifferences()
    {
        foreach (var grid in new[] { KnotGrid.Uniform(2, 6, 3, -1, 1), AdaptiveGrid(2, 8, 3, 5) })
        {
            const double h = 1e-5;
            var xs = Enumerable.Range(0, grid.Inputs).Select(i =>
            {
                // Stay away from knots, where the second derivative of a cubic B-spline jumps.
                var rng = new Random(i + 1);
                var list = new List<double>();
                while (list.Count < 200)
                {
                    double x = grid[i, 0] + (grid[i, grid.KnotCount - 1] - grid[i, 0]) * rng.NextDouble();
                    if (grid.Extended(i).All(t => Math.Abs(t - x) > 10 * h)) list.Add(x);
                }
                return list.ToArray();
            }).ToArray();
            var center = Evaluate(grid, xs, 2);
            var plus = Evaluate(grid, xs.Select(r => r.Select(x => x + h).ToArray()).ToArray(), 0);
            var minus = Evaluate(grid, xs.Select(r => r.Select(x => x - h).ToArray()).ToArray(), 0);
            for (int i = 0; i < grid.Inputs; i++)
                for (int n = 0; n < xs[i].Length; n++)
                    for (int m = 0; m < grid.BasisCount; m++)
                    {
                        double d1 = (plus[i, n, 0, m] - minus[i, n, 0, m]) / (2 * h);
                        double d2 = (plus[i, n, 0, m] - 2 * center[i, n, 0, m] + minus[i, n, 0, m]) / (h * h);
                        Assert.That(center[i, n, 1, m], Is.EqualTo(d1).Within(1e-6 * (1 + Math.Abs(d1))));
                        Assert.That(center[i, n, 2, m], Is.EqualTo(d2).Within(2e-3 * (1 + Math.Abs(d2))));
                    }
        }
    }

    [Test]
    public void RejectsPointsOfTheWrongShapeBeforeCallingNativeCode()
    {
        using var basis = new BSplineBasis(KnotGrid.Uniform(2, 5, 3, -1, 1), ScalarType.Float64, CPU);
        Assert.Throws<ArgumentException>(() => basis.Evaluate(zeros(3, 10, dtype: ScalarType.Float64), 0));
    }
}

public class SplineFitTests
{
    [Test]
    public void RecoversCoefficientsAndStaysFiniteWhenSomeBasisFunctionsHaveNoSamples()
    {
        var grid = KnotGrid.Uniform(2, 8, 3, -1, 1);
        using var basis = new BSplineBasis(grid, ScalarType.Float64, CPU);
        var generator = new Generator(4);
        var truth = randn(new long[] { 2, grid.BasisCount, 3 }, ScalarType.Float64, generator: generator);
        // Input 0 sampled everywhere; input 1 only on [-1, 0], so several basis functions see no sample.
        var x0 = rand(new long[] { 500 }, ScalarType.Float64, generator: generator) * 2 - 1;
        var x1 = rand(new long[] { 500 }, ScalarType.Float64, generator: generator) - 1;
        var A = basis.Evaluate(stack(new[] { x0, x1 }), 0).squeeze(2);                 // [2, 500, n]
        var fitted = SplineFit.LeastSquares(A, bmm(A, truth));
        Assert.That((fitted[0] - truth[0]).abs().max().item<double>(), Is.LessThan(1e-10));
        // Where input 1 has samples, the fit reproduces the data; elsewhere it stays bounded.
        Assert.That((bmm(A, fitted) - bmm(A, truth))[1].abs().max().item<double>(), Is.LessThan(1e-8));
        Assert.That(fitted[1].abs().max().item<double>(), Is.LessThan(10 * truth[1].abs().max().item<double>() + 10));
    }
}
