using Kan.Pde.Core.Expressions;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Expressions;

public class ExpressionEvaluationTests
{
    private static readonly string[] XYZ = { "x", "y", "z" };

    private static double Eval(string text, params double[] xyz) => ExpressionParser.Parse(text, XYZ).Evaluate(xyz);

    [TestCase("1 + 2*3", 7)]
    [TestCase("(1 + 2)*3", 9)]
    [TestCase("2^3^2", 512)]          // right-associative
    [TestCase("-2^2", -4)]            // unary minus binds weaker than ^
    [TestCase("2^-1", 0.5)]
    [TestCase("8/4/2", 1)]            // left-associative
    [TestCase("7 - 4 - 2", 1)]
    [TestCase("1e-3*1000", 1)]
    [TestCase("2.5E+1", 25)]
    [TestCase(".5 + 1.", 1.5)]
    [TestCase("--3", 3)]
    [TestCase("+3 - -2", 5)]
    [TestCase("abs(-3)", 3)]
    [TestCase("sqrt(16)", 4)]
    [TestCase("log(e)", 1)]
    [TestCase("cos(pi)", -1)]
    [TestCase("arctan(1)*4", Math.PI)]
    [TestCase("sign(-0.5)", -1)]
    public void ConstantExpressions(string text, double expected)
    {
        var e = ExpressionParser.Parse(text, XYZ);
        Assert.That(e.IsConstant, Is.True);
        Assert.That(e.Evaluate(new double[3]), Is.EqualTo(expected).Within(1e-14));
    }

    [Test]
    public void VariablesFollowTheGivenOrder()
    {
        Assert.That(Eval("x - 2*y + 3*z", 1, 10, 100), Is.EqualTo(1 - 20 + 300));
        Assert.That(Eval("-x^2", 3, 0, 0), Is.EqualTo(-9));
        var e = ExpressionParser.Parse("t*x", new[] { "t", "x" });
        Assert.That(e.Variables, Is.EqualTo(new[] { "t", "x" }));
        Assert.That(e.Evaluate(new[] { 2.0, 5.0 }), Is.EqualTo(10));
    }

    [Test]
    public void WrongNumberOfValuesIsRejected()
    {
        var e = ExpressionParser.Parse("x", XYZ);
        Assert.Throws<ArgumentException>(() => e.Evaluate(new[] { 1.0 }));
    }

    public static IEnumerable<string> Expressions() => new[]
    {
        "sin(pi*x)*sin(pi*y^2)", "cos(x) + tan(y/2)", "exp(x*y) - log(1 + z^2)", "sqrt(1 + x^2 + y^2)",
        "tanh(3*x)*abs(y - 0.1)", "sinh(x) + cosh(y) + atan(z)", "x^y^2 / (2 + sign(z))", "2^x - e^-y", "-x^2 + 1e-3*z",
        "x", "z",
    };

    [TestCaseSource(nameof(Expressions))]
    public void TensorEvaluationEqualsScalarEvaluation(string text)
    {
        var e = ExpressionParser.Parse(text, XYZ);
        var rng = new Random(7);
        // Positive x keeps x^y real; the other coordinates cover both signs.
        var rows = Enumerable.Range(0, 50).Select(_ => new[] { 0.1 + rng.NextDouble(), 2 * rng.NextDouble() - 1, 2 * rng.NextDouble() - 1 }).ToArray();
        using var points = torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, 3 }, dtype: ScalarType.Float64);
        using var values = e.Evaluate(points);

        Assert.That(values.shape, Is.EqualTo(new long[] { rows.Length }));
        Assert.That(values.dtype, Is.EqualTo(ScalarType.Float64));
        var actual = values.data<double>().ToArray();
        for (int i = 0; i < rows.Length; i++)
            Assert.That(actual[i], Is.EqualTo(e.Evaluate(rows[i])).Within(1e-13 * Math.Max(1, Math.Abs(actual[i]))), $"row {i}");
    }

    [Test]
    public void TensorEvaluationKeepsDtypeAndBroadcastsConstants()
    {
        using var points = torch.rand(new long[] { 5, 2 }, dtype: ScalarType.Float32);
        var xy = new[] { "x", "y" };

        using var constant = ExpressionParser.Parse("2*pi", xy).Evaluate(points);
        Assert.That(constant.shape, Is.EqualTo(new long[] { 5 }));
        Assert.That(constant.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(constant.data<float>().ToArray(), Is.All.EqualTo((float)(2 * Math.PI)));

        using var sum = ExpressionParser.Parse("x + y", xy).Evaluate(points);
        Assert.That(sum.dtype, Is.EqualTo(ScalarType.Float32));
    }

    [Test]
    public void BareVariableReturnsACopy()
    {
        using var points = torch.zeros(new long[] { 3, 2 }, dtype: ScalarType.Float64);
        using var y = ExpressionParser.Parse("y", new[] { "x", "y" }).Evaluate(points);
        y.add_(1.0);
        Assert.That(points.sum().item<double>(), Is.EqualTo(0));
    }

    [Test]
    public void TensorEvaluationIsDifferentiableByAutograd()
    {
        var e = ExpressionParser.Parse("sin(pi*x)*y^2", new[] { "x", "y" });
        using var points = torch.tensor(new[] { 0.3, 0.7, -0.2, 0.5 }, new long[] { 2, 2 }, dtype: ScalarType.Float64).requires_grad_(true);
        using var u = e.Evaluate(points);
        var grad = torch.autograd.grad(new[] { u.sum() }, new[] { points })[0];
        var expectedDx = new[] { e.Derivative(0).Evaluate(new[] { 0.3, 0.7 }), e.Derivative(0).Evaluate(new[] { -0.2, 0.5 }) };
        Assert.That(grad.select(1, 0).data<double>().ToArray(), Is.EqualTo(expectedDx).Within(1e-13));
    }

    [Test]
    public void BadPointShapesAreRejectedInManagedCode()
    {
        var e = ExpressionParser.Parse("x*y", new[] { "x", "y" });
        using var wrongWidth = torch.zeros(new long[] { 4, 3 }, dtype: ScalarType.Float64);
        using var wrongRank = torch.zeros(new long[] { 4 }, dtype: ScalarType.Float64);
        using var integers = torch.zeros(new long[] { 4, 2 }, dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => e.Evaluate(wrongWidth));
        Assert.Throws<ArgumentException>(() => e.Evaluate(wrongRank));
        Assert.Throws<ArgumentException>(() => e.Evaluate(integers));
    }
}
