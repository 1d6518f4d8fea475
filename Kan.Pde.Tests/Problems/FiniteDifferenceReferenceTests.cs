using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Problems.Common;
using Kan.Pde.Problems.Poisson;
using Kan.Pde.Tests.Geometry;
using NUnit.Framework;
using TorchSharp;

namespace Kan.Pde.Tests.Problems;

/// <summary>The finite-difference reference: second-order accurate on a known solution, grid-converged on the L shape.</summary>
public class FiniteDifferenceReferenceTests
{
    private static readonly string[] Xy = { "x", "y" };

    [Test]
    public void SecondOrderOnAKnownSolution()
    {
        // Δu = −2π² sin(πx) sin(πy) on [−1, 1]²: the five-point error is ≈ (π²h²/12)·|u|, so it drops 4× when h halves.
        var square = new Box(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) });
        var f = ExpressionParser.Parse("-2*pi^2*sin(pi*x)*sin(pi*y)", Xy);
        double Error(double h)
        {
            var fd = FiniteDifferenceReference.Solve(square, f, (_, _) => 0, h);
            double max = 0;
            for (double x = -0.9; x < 0.95; x += 0.1)
                for (double y = -0.9; y < 0.95; y += 0.1)
                    max = Math.Max(max, Math.Abs(fd.At(x, y) - Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y)));
            return max;
        }
        double coarse = Error(0.1), fine = Error(0.05);
        Assert.That(coarse, Is.InRange(0.5 * Math.PI * Math.PI * 0.01 / 12, 2 * Math.PI * Math.PI * 0.01 / 12));
        Assert.That(coarse / fine, Is.InRange(3.5, 4.5));
    }

    [Test]
    public void TheLShapeSolutionConvergesAndIsPositive()
    {
        // −Δu = 1, u = 0: halving h from 0.04 to 0.02 changes the solution by far less than the 1e-2 the KAN must reach.
        var l = RegionTests.LShape();
        var f = ExpressionParser.Parse("-1", Xy);
        var coarse = FiniteDifferenceReference.Solve(l, f, (_, _) => 0, 0.04);
        var fine = FiniteDifferenceReference.Solve(l, f, (_, _) => 0, 0.02);
        double diff = 0, norm = 0;
        for (int i = 0; i < coarse.Values.GetLength(0); i++)
            for (int j = 0; j < coarse.Values.GetLength(1); j++)
            {
                double v = coarse.Values[i, j];
                if (double.IsNaN(v)) continue;
                double w = fine.Values[2 * i, 2 * j];
                diff += (v - w) * (v - w);
                norm += w * w;
                Assert.That(w, Is.GreaterThanOrEqualTo(0));
            }
        Assert.That(Math.Sqrt(diff / norm), Is.LessThan(5e-3));
        Assert.That(fine.At(-0.5, -0.5), Is.InRange(0.1, 0.2), "the maximum lies in the lower-left square");
        Assert.That(double.IsNaN(fine.At(0.5, 0.5)), "outside the L");
    }

    [Test]
    public void ADeferredReferenceSolvesOnFirstUseAndMatchesTheDirectSolve()
    {
        var l = RegionTests.LShape();
        var f = ExpressionParser.Parse("-1", Xy);
        Assert.Throws<ArgumentException>(() => FiniteDifferenceReference.Discretize(l, f, (_, _) => 0, 2.0 / 3),
            "the notch's edges x = 0 and y = 0 are not on a grid of spacing 2/3");
        var system = FiniteDifferenceReference.Discretize(l, f, (_, _) => 0, 0.04);
        Assert.That(system.Unknowns, Is.EqualTo(49 * 24 + 24 + 24 * 24), "inside nodes: 49 × 24 below y = 0, 24 on it left of the notch, 24 × 24 above");
        var deferred = new DeferredSolution(() => system.Solve());
        Assert.That(deferred.IsComputed, Is.False);
        var direct = FiniteDifferenceReference.Solve(l, f, (_, _) => 0, 0.04);
        using var points = torch.tensor(new[] { -0.5, -0.5, 0.52, -0.3, -0.3, 0.7 }, new long[] { 3, 2 }, torch.ScalarType.Float64);
        using var values = deferred.Value(points);
        Assert.That(deferred.IsComputed, Is.True);
        var got = values.data<double>().ToArray();
        Assert.That(got[0], Is.EqualTo(direct.At(-0.5, -0.5)).Within(1e-12));
        Assert.That(got[1], Is.EqualTo(direct.At(0.52, -0.3)).Within(1e-12));
        Assert.That(got[2], Is.EqualTo(direct.At(-0.3, 0.7)).Within(1e-12));
        Assert.That(got[0], Is.GreaterThan(0.1), "the lower-left square holds the maximum");
    }

    [Test, Category("Slow")]
    public void TheLShapeErrorFallsLikeHToTheFourThirds()
    {
        // The r^(2/3) singularity at the re-entrant corner pollutes the whole solution: the five-point error falls like
        // h^(4/3), not h², so successive differences shrink by 2^(4/3) ≈ 2.52 per halving. Measured (evaluation mesh of
        // spacing 0.02): relative differences 1.08e-3 (h 0.02 → 0.01), 4.25e-4 (0.01 → 0.005), 1.66e-4 (0.005 → 0.0025).
        // The error of h is then about d(h, h/2)/(1 − 2^(−4/3)) = 1.66·d: 7e-4 at h = 0.01 and 2.8e-4 at h = 0.005.
        var l = RegionTests.LShape();
        var f = ExpressionParser.Parse("-1", Xy);
        var u = new[] { 0.02, 0.01, 0.005 }.Select(h => FiniteDifferenceReference.Solve(l, f, (_, _) => 0, h)).ToArray();
        double RelativeDifference(int a, int b)
        {
            double diff = 0, norm = 0;
            for (int i = 0; i <= 100; i++)
                for (int j = 0; j <= 100; j++)
                {
                    double x = -1 + 0.02 * i, y = -1 + 0.02 * j, v = u[a].At(x, y), w = u[b].At(x, y);
                    if (double.IsNaN(v)) continue;
                    diff += (v - w) * (v - w);
                    norm += w * w;
                }
            return Math.Sqrt(diff / norm);
        }
        double coarse = RelativeDifference(0, 1), fine = RelativeDifference(1, 2);
        Assert.That(coarse / fine, Is.InRange(2.2, 2.9), "order 4/3");
        Assert.That(fine / (1 - Math.Pow(2, -4.0 / 3)), Is.LessThan(1e-3), "estimated relative error of h = 0.01");
    }
}
