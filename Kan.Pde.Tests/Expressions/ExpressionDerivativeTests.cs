using Kan.Pde.Core.Expressions;
using NUnit.Framework;

namespace Kan.Pde.Tests.Expressions;

public class ExpressionDerivativeTests
{
    private static readonly string[] XY = { "x", "y" };

    // Every function and operator, at points where each is smooth (log and sqrt see positive arguments).
    [TestCase("sin(3*x)*y")]
    [TestCase("cos(x*y)")]
    [TestCase("tan(x/2 + y/3)")]
    [TestCase("exp(-x^2 - y)")]
    [TestCase("log(2 + x*y)")]
    [TestCase("sqrt(3 + x - y)")]
    [TestCase("tanh(2*x - y)")]
    [TestCase("abs(x + 2)*y")]
    [TestCase("sinh(x)*cosh(y)")]
    [TestCase("atan(x^3*y)")]
    [TestCase("arctan(x)/(1 + y^2)")]
    [TestCase("sign(x + 5)*x")]
    [TestCase("x^y")]                // general power
    [TestCase("2^(x*y)")]            // constant base
    [TestCase("(x + 3)^-1.5")]       // constant exponent
    [TestCase("x/y - y/x")]
    [TestCase("-x^3 + pi*y - e")]
    public void DerivativesMatchFiniteDifferences(string text)
    {
        var e = ExpressionParser.Parse(text, XY);
        var rng = new Random(text.Length);
        for (int trial = 0; trial < 5; trial++)
        {
            double[] p = { 0.3 + 0.5 * rng.NextDouble(), 0.4 + 0.5 * rng.NextDouble() };
            for (int d = 0; d < 2; d++)
            {
                double fd = CentralDifference(e, p, d);
                double symbolic = e.Derivative(d).Evaluate(p);
                Assert.That(symbolic, Is.EqualTo(fd).Within(1e-7 * Math.Max(1, Math.Abs(fd))), $"d/d{XY[d]} of {text} at ({p[0]}, {p[1]}): {e.Derivative(d)}");

                // Second derivatives, as the Poisson source needs them.
                double fd2 = CentralDifference(e.Derivative(d), p, d);
                double symbolic2 = e.Derivative(d).Derivative(d).Evaluate(p);
                Assert.That(symbolic2, Is.EqualTo(fd2).Within(1e-6 * Math.Max(1, Math.Abs(fd2))), $"d2/d{XY[d]}2 of {text}");
            }
        }
    }

    /// <summary>Fourth-order central difference: error ~h^4 f^(5), roughly 1e-10 here.</summary>
    private static double CentralDifference(Expr e, double[] p, int d)
    {
        const double h = 1e-3;
        double At(double offset)
        {
            var q = (double[])p.Clone();
            q[d] += offset;
            return e.Evaluate(q);
        }
        return (-At(2 * h) + 8 * At(h) - 8 * At(-h) + At(-2 * h)) / (12 * h);
    }

    [TestCase("x*y", 0, "y")]
    [TestCase("x*y", 1, "x")]
    [TestCase("3*x^2", 0, "6*x")]
    [TestCase("x + y", 0, "1")]
    [TestCase("sin(x)", 0, "cos(x)")]
    [TestCase("cos(2*x)", 0, "-2*sin(2*x)")]
    [TestCase("log(x)", 0, "1/x")]
    [TestCase("exp(y)", 0, "0")]
    [TestCase("x^1", 0, "1")]
    [TestCase("x - y", 1, "-1")]
    public void DerivativesAreSimplified(string text, int variable, string expected)
    {
        Assert.That(ExpressionParser.Parse(text, XY).Derivative(variable).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void DerivativeOfAConstantIsConstantZero()
    {
        var d = ExpressionParser.Parse("exp(y)", XY).Derivative("x");
        Assert.That(d.IsConstant, Is.True);
        Assert.That(d.Evaluate(new[] { 1.0, 2.0 }), Is.EqualTo(0));
    }

    [Test]
    public void DerivativeIndexIsChecked()
    {
        var e = ExpressionParser.Parse("x", XY);
        Assert.Throws<ArgumentOutOfRangeException>(() => e.Derivative(2));
        Assert.Throws<ArgumentException>(() => e.Derivative("z"));
    }
}
