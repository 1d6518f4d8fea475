using Kan.Pde.Core.Expressions;
using Kan.Pde.Problems.Anderson;
using Kan.Pde.Tests.Problems;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

public class LogitZeroCrossingsTests
{
    private static double[] Sample(double lo, double hi, int n, Func<double, double> f) =>
        Enumerable.Range(0, n).Select(k => f(lo + (hi - lo) * k / (n - 1))).ToArray();

    [Test]
    public void ALinearLogitIsCrossedExactlyAtItsRoot()
    {
        var zeros = LogitZeroCrossings.OnUniformGrid(-1, 1, Sample(-1, 1, 400, e => e - 0.3));
        Assert.That(zeros, Has.Length.EqualTo(1));
        Assert.That(zeros[0], Is.EqualTo(0.3).Within(1e-14));
    }

    [Test]
    public void TwoRootsComeBackToInterpolationAccuracy()
    {
        // f = (E − 0.3)(E + 0.5): the chord's zero lies within h²·max|f''| / (8·|f'(root)|) of the root, f'' = 2, |f'| = 0.8.
        const double lo = -1, hi = 1;
        const int n = 400;
        double h = (hi - lo) / (n - 1), bound = h * h * 2 / (8 * 0.8);
        var zeros = LogitZeroCrossings.OnUniformGrid(lo, hi, Sample(lo, hi, n, e => (e - 0.3) * (e + 0.5)));
        Assert.That(zeros, Has.Length.EqualTo(2));
        Assert.That(zeros[0], Is.EqualTo(-0.5).Within(bound));
        Assert.That(zeros[1], Is.EqualTo(0.3).Within(bound));
        // The chords of a convex function lie above it, so their zeros fall between the two roots: the interpolation shows.
        Assert.That(zeros[0], Is.GreaterThan(-0.5));
        Assert.That(zeros[1], Is.LessThan(0.3));
    }

    [Test]
    public void ALogitWithoutSignChangeHasNoZero()
    {
        Assert.That(LogitZeroCrossings.OnUniformGrid(-2, 2, Sample(-2, 2, 400, e => e * e + 0.01)), Is.Empty);
        Assert.That(LogitZeroCrossings.OnUniformGrid(-2, 2, Sample(-2, 2, 400, e => -1 - e * e)), Is.Empty);
    }

    [Test]
    public void AnExactZeroSampleCountsOnce()
    {
        Assert.That(LogitZeroCrossings.OnUniformGrid(0, 4, new[] { 1.0, 0.5, 0, -0.5, -1 }), Is.EqualTo(new[] { 2.0 }));
        Assert.That(LogitZeroCrossings.OnUniformGrid(0, 4, new[] { 1.0, 0, 0, -0.5, -1 }), Is.EqualTo(new[] { 1.0 }));
        Assert.That(LogitZeroCrossings.OnUniformGrid(0, 2, new[] { 0.0, 1, -1 }), Is.EqualTo(new[] { 0.0, 1.5 }));
    }

    [Test]
    public void EachChainGetsTheZerosInsideItsOwnSpectrum()
    {
        // Mosaic κ = 2 chains with the classifier logit = E − 2λ: the edge at E = 2λ lies inside the spectrum for small λ,
        // and outside it for λ = 3 (|E| ≤ ‖H‖ ≤ 2 + λ = 5 < 6), where the chain must give no edge point.
        var family = ChainFamily.Mosaic(2);
        double[][] parameters = { new[] { 0.5, 0.3 }, new[] { 3.0, 1.2 }, new[] { 0.25, 2.0 } };
        var data = MobilityEdgeData.FromParameters(family, parameters, 16, LatticeBoundary.Open);
        using var network = new ExpressionNetwork(ExpressionParser.Parse("E - 2*lambda", new[] { "lambda", "E" }));
        var (values, energies) = LogitZeroCrossings.InSpectra(network, data, family.ParameterIndex("lambda"));
        Assert.That(values, Is.EqualTo(new[] { 0.5, 0.25 }));
        Assert.That(energies, Is.EqualTo(new[] { 1.0, 0.5 }).Within(1e-12));
    }
}
