using Kan.Pde.Core.Expressions;
using NUnit.Framework;

namespace Kan.Pde.Tests.Expressions;

public class ExpressionSimplificationTests
{
    private static readonly string[] XY = { "x", "y" };

    private static Expr Parse(string text) => ExpressionParser.Parse(text, XY);

    private static IReadOnlyList<double[]> Points()
    {
        var random = new Random(2);
        return Enumerable.Range(0, 60).Select(_ => new[] { 2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1 }).ToArray();
    }

    private static double MaxDifference(Expr a, Expr b) => Points().Max(p => Math.Abs(a.Evaluate(p) - b.Evaluate(p)));

    [TestCase("2*(x + 1) - x + 3*x*y/3", "x + x*y + 2")]
    [TestCase("sin(2*(x + y)) - sin(2*x + 2*y) + 0*x", "0")]
    [TestCase("3*(2*x)^2 - 10*x^2", "2*x^2")]
    [TestCase("-(x - y) + 2*(x - y)", "x - y")]
    [TestCase("(4*x)/(2*y) + exp(1 - 1)", "2*x/y + 1")]
    [TestCase("0.5*(3*(x + 1) + 1) - 2", "1.5*x")]
    public void LikeTermsAndConstantsAreCollected(string text, string expected)
    {
        var e = Parse(text);
        var simplified = e.Simplified();
        Assert.That(simplified.ToString(), Is.EqualTo(expected));
        Assert.That(MaxDifference(e, simplified), Is.LessThan(1e-13));
    }

    [Test]
    public void NegligibleTermsAreDroppedAtEveryLevel()
    {
        var e = Parse("x + 1e-12*y + 2*sin(3*x + 1e-13 + 1e-11*y) - 4e-12");
        var dropped = e.WithoutNegligibleTerms(Points(), 1e-9);
        Assert.That(dropped.ToString(), Is.EqualTo("x + 2*sin(3*x)"));
        Assert.That(MaxDifference(e, dropped), Is.LessThan(1e-10));
        // A term that matters is kept.
        Assert.That(Parse("x + 0.01*y").WithoutNegligibleTerms(Points(), 1e-9).ToString(), Is.EqualTo("x + 0.01*y"));
    }

    [Test]
    public void TheTrainedInterpretationFormulaTidiesToTheProductOfSines()
    {
        // The form a [2,2,1] KAN with linear first layer and sine second layer takes (pykan's PDE-interpretation example):
        // ½ sin(πx − πy + 5π/2) − ½ sin(πx + πy + π/2), with constants as L-BFGS leaves them.
        var e = Parse("0.49999999993*sin(3.14159265359012*x - 3.14159265358921*y + 7.85398163397421) " +
                      "- 0.50000000002*sin(3.14159265358899*x + 3.14159265359001*y + 1.57079632679512) + 3e-12");
        var tidy = e.WithoutNegligibleTerms(Points(), 1e-6).Tidied(6);
        Assert.That(tidy.ToString(), Is.EqualTo("sin(pi*x)*sin(pi*y)"));
        Assert.That(e.Tidied(6).ToString(), Is.EqualTo("sin(pi*x)*sin(pi*y) + 3E-12"), "rounding is relative; dropping is separate");
        var exact = Parse("sin(pi*x)*sin(pi*y)");
        Assert.That(MaxDifference(tidy, exact), Is.LessThan(1e-15));
        Assert.That(MaxDifference(e, exact), Is.LessThan(1e-10));
    }

    [TestCase("1.23456789*x + 2.00000001", "1.23457*x + 2")]
    [TestCase("sin(3.1415926536*x + 3.14159265)", "-sin(pi*x)")]
    [TestCase("cos(-1.5707963268*x + 1.5707963268)", "sin(pi/2*x)")]
    [TestCase("0.7*cos(2*x + 1) + 0.7*cos(2*x - 1)", "0.756423*cos(2*x)")]
    [TestCase("0.25*sin(x + y) - 0.25*sin(x - y)", "0.5*cos(x)*sin(y)")]
    [TestCase("sin(x + 7)", "sin(x + 0.716815)")]
    [TestCase("sin(2*y - 3*x + 0.5)", "-sin(3*x - 2*y - 0.5)")]
    [TestCase("12345678*x + 0.000123456789", "12345700*x + 0.000123457")]
    public void TidyingRoundsAndUsesTrigonometricIdentities(string text, string expected)
    {
        var tidy = Parse(text).Tidied(6);
        Assert.That(tidy.ToString(), Is.EqualTo(expected));
        // The printed text reads back into the same values.
        Assert.That(MaxDifference(tidy, Parse(tidy.ToString())), Is.LessThan(1e-14));
    }

    [TestCase("sin(pi*x)*sin(pi*y)", @"\sin\left(\pi x\right) \sin\left(\pi y\right)")]
    [TestCase("exp(-x^2)/(1 + sqrt(y))", @"\frac{e^{-x^{2}}}{1 + \sqrt{y}}")]
    [TestCase("2*3^x - abs(x - y)", @"2 \cdot 3^{x} - \left|x - y\right|")]
    [TestCase("(x + 1)*atan(y)", @"\left(x + 1\right) \arctan\left(y\right)")]
    [TestCase("1e-20*x", @"1 \cdot 10^{-20} x")]
    public void LatexOutput(string text, string expected) => Assert.That(Parse(text).ToLatex(), Is.EqualTo(expected));
}
