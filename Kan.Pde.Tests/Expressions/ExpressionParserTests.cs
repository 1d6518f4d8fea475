using Kan.Pde.Core.Expressions;
using NUnit.Framework;

namespace Kan.Pde.Tests.Expressions;

public class ExpressionParserTests
{
    private static readonly string[] XY = { "x", "y" };

    // text, expected 0-based position, expected message fragment
    [TestCase("2 + sinn(x)", 4, "unknown function 'sinn' at column 5")]
    [TestCase("x*q", 2, "unknown variable 'q' at column 3 (allowed: x, y)")]
    [TestCase("x +", 3, "unexpected end of expression")]
    [TestCase("", 0, "empty expression")]
    [TestCase("   ", 0, "empty expression")]
    [TestCase("(x + y", 0, "unbalanced parenthesis")]
    [TestCase("sin(x", 3, "unbalanced parenthesis")]
    [TestCase("x + y)", 5, "unbalanced parenthesis")]
    [TestCase("x # y", 2, "unexpected character '#' at column 3")]
    [TestCase("x y", 2, "unexpected 'y' at column 3")]
    [TestCase("2x", 1, "unexpected 'x' at column 2")]
    [TestCase("x * * y", 4, "unexpected '*' at column 5")]
    [TestCase("sin x", 0, "function 'sin' at column 1 needs an argument")]
    [TestCase("x(2)", 0, "is not a function (multiplication needs an explicit '*')")]
    [TestCase("pi(2)", 0, "'pi' at column 1 is not a function")]
    [TestCase("Sin(x)", 0, "unknown function 'Sin'")]
    [TestCase("nan", 0, "NaN and infinity")]
    [TestCase("1 + Infinity", 4, "NaN and infinity")]
    [TestCase("1e999*x", 0, "number '1e999' at column 1")]
    [TestCase("(x + (y)", 0, "'(' at column 1 is never closed")]
    [TestCase("sin()", 4, "unexpected ')' at column 5")]
    [TestCase("x^", 2, "unexpected end of expression")]
    public void ErrorsNameThePosition(string text, int position, string fragment)
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(text, XY))!;
        Assert.That(ex.Position, Is.EqualTo(position), ex.Message);
        Assert.That(ex.Message, Does.Contain(fragment));
    }

    [Test]
    public void NoVariablesMeansNoneAllowed()
    {
        var ex = Assert.Throws<ExpressionException>(() => ExpressionParser.Parse("x", Array.Empty<string>()))!;
        Assert.That(ex.Message, Does.Contain("(allowed: none)"));
    }

    [Test]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        string deep = new string('(', 100_000) + "x" + new string(')', 100_000);
        var ex = Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(deep, XY))!;
        Assert.That(ex.Message, Does.Contain("nested too deeply"));
        Assert.That(ex.Position, Is.LessThanOrEqualTo(ExpressionParser.MaxNesting + 1));

        Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(new string('-', 100_000) + "x", XY));
        Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(string.Concat(Enumerable.Repeat("sin(", 5000)) + "x", XY));
        Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(string.Join("^", Enumerable.Repeat("x", 5000)), XY));
        // Flat to parse but a very deep tree.
        Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(string.Join(" + ", Enumerable.Repeat("x*y", 100_000)), XY));
    }

    [Test]
    public void ModerateNestingIsFine()
    {
        string nested = new string('(', 150) + "x" + new string(')', 150);
        Assert.That(ExpressionParser.Parse(nested, XY).Evaluate(new[] { 2.0, 0 }), Is.EqualTo(2));
    }

    [Test]
    public void InvalidVariableListsAreProgrammerErrors()
    {
        Assert.Throws<ArgumentException>(() => ExpressionParser.Parse("1", new[] { "x", "x" }));
        Assert.Throws<ArgumentException>(() => ExpressionParser.Parse("1", new[] { "pi" }));
        Assert.Throws<ArgumentException>(() => ExpressionParser.Parse("1", new[] { "sin" }));
        Assert.Throws<ArgumentException>(() => ExpressionParser.Parse("1", new[] { "2x" }));
    }

    [TestCase("sin(pi*x)*sin(pi*y)")]
    [TestCase("-x^2")]
    [TestCase("(-x)^2")]
    [TestCase("x^y^2")]
    [TestCase("(x^y)^2")]
    [TestCase("x - (y - 1)")]
    [TestCase("x/(y*2)")]
    [TestCase("2^-x")]
    [TestCase("-pi*x + e")]
    [TestCase("1e-20*x + 1e20")]
    [TestCase("x/0 + y")]
    [TestCase("log(-1) + x")]
    [TestCase("-(x - y)*3")]
    [TestCase("x*-y")]
    public void PrintedFormParsesBackToTheSameFunction(string text)
    {
        var e = ExpressionParser.Parse(text, XY);
        var again = ExpressionParser.Parse(e.ToString(), XY);
        Assert.That(again.ToString(), Is.EqualTo(e.ToString()));
        foreach (var p in new[] { new[] { 0.7, 1.3 }, new[] { 1.9, -0.4 } })
            Assert.That(again.Evaluate(p), Is.EqualTo(e.Evaluate(p)), $"{text} -> {e}");
        foreach (var d in new[] { e.Derivative(0), e.Derivative(1) })
            Assert.That(ExpressionParser.Parse(d.ToString(), XY).ToString(), Is.EqualTo(d.ToString()));
    }

    [Test]
    public void PiAndEKeepTheirNames()
    {
        Assert.That(ExpressionParser.Parse("-pi*x + e", XY).ToString(), Is.EqualTo("e - pi*x"));
    }
}

public class ExpressionParserFuzzTests
{
    private static readonly string[] XY = { "x", "y" };

    [Test]
    public void RandomTextEitherParsesAndRoundTripsOrThrowsExpressionException()
    {
        const string alphabet = "xy pie+-*/^().0123456789Eesincoqrtlgabhd_#\t";
        var rng = new Random(3);
        int parsed = 0;
        for (int run = 0; run < 5000; run++)
        {
            var text = new string(Enumerable.Range(0, rng.Next(1, 25)).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
            Expr e;
            try
            {
                e = ExpressionParser.Parse(text, XY);
            }
            catch (ExpressionException ex)
            {
                Assert.That(ex.Position, Is.InRange(0, text.Length), text);
                continue;
            }
            parsed++;
            string printed = e.ToString();
            Assert.That(ExpressionParser.Parse(printed, XY).ToString(), Is.EqualTo(printed), $"{text} -> {printed}");
            Assert.DoesNotThrow(() => e.Derivative(0).Derivative(1).ToString(), text);
        }
        Assert.That(parsed, Is.GreaterThan(50));
        TestContext.Out.WriteLine($"{parsed} of 5000 parsed");
    }
}
