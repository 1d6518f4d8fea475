using Kan.Pde.Core.Training;
using NUnit.Framework;

namespace Kan.Pde.Tests.Training;

public class CubicInterpolationTests
{
    [Test]
    public void RecoversMinimizerOfAQuadratic()
    {
        // f = (x − 1)², sampled at 0 and 3.
        double? x = CubicInterpolation.Minimizer(0, 1, -2, 3, 4, 4);
        Assert.That(x, Is.EqualTo(1.0).Within(1e-14));
    }

    [Test]
    public void RecoversLocalMinimizerOfACubic()
    {
        // f = x³ − 3x has its local minimum at x = 1; the Hermite cubic through any two points is f itself.
        static (double F, double G) F(double x) => (x * x * x - 3 * x, 3 * x * x - 3);
        var (f1, g1) = F(-0.5);
        var (f2, g2) = F(2.5);
        Assert.That(CubicInterpolation.Minimizer(-0.5, f1, g1, 2.5, f2, g2), Is.EqualTo(1.0).Within(1e-12));
        Assert.That(CubicInterpolation.Minimizer(2.5, f2, g2, -0.5, f1, g1), Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void NoMinimizerGivesNullAndFallback()
    {
        // Through (0, 0, 1) and (1, 0.5, 1) the Hermite cubic is strictly increasing: no critical point.
        Assert.That(CubicInterpolation.Minimizer(0, 0, 1, 1, 0.5, 1), Is.Null);
        Assert.That(CubicInterpolation.Minimizer(1, 0, 1, 1, 0, 1), Is.Null);
        Assert.That(CubicInterpolation.Minimizer(0, double.NaN, 1, 1, 0, 1), Is.Null);
        Assert.That(CubicInterpolation.MinimizerIn(0, 0, 0, 1, double.PositiveInfinity, 1, 0, 1, fallback: 0.5), Is.EqualTo(0.5));
    }
}
