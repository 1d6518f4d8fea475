using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Symbolic;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Symbolic;

public class SymbolicFunctionTests
{
    private static IEnumerable<TestCaseData> Functions() =>
        SymbolicLibrary.All.Select(f => new TestCaseData(f.Name).SetName($"Function_{f.Name.Replace("/", "over").Replace("^", "pow")}"));

    /// <summary>Points inside every function's domain (positive, and away from tan's poles).</summary>
    private static readonly double[] Points = { 0.15, 0.4, 0.77, 1.1, 1.4 };

    [TestCaseSource(nameof(Functions))]
    public void DerivativesMatchFiniteDifferences(string name)
    {
        var f = SymbolicLibrary.ByName(name);
        const double h = 1e-5;
        foreach (double z in Points)
        {
            double d1 = (f.Value(z + h) - f.Value(z - h)) / (2 * h);
            double d2 = (f.Value(z + h) - 2 * f.Value(z) + f.Value(z - h)) / (h * h);
            Assert.That(f.FirstDerivative(z), Is.EqualTo(d1).Within(1e-7 * (1 + Math.Abs(d1))), $"f' at {z}");
            Assert.That(f.SecondDerivative(z), Is.EqualTo(d2).Within(1e-3 * (1 + Math.Abs(d2))), $"f'' at {z}");
        }
    }

    [TestCaseSource(nameof(Functions))]
    public void TensorEvaluationMatchesScalarsAndTheExpression(string name)
    {
        var f = SymbolicLibrary.ByName(name);
        var z = tensor(Points, ScalarType.Float64);
        var jet = f.Evaluate(z, 2);
        var expression = f.Apply(ExpressionParser.Parse("z", new[] { "z" }));
        for (int k = 0; k < Points.Length; k++)
        {
            double p = Points[k];
            Assert.That(jet[0][k].item<double>(), Is.EqualTo(f.Value(p)).Within(1e-14 * (1 + Math.Abs(f.Value(p)))));
            Assert.That(jet[1][k].item<double>(), Is.EqualTo(f.FirstDerivative(p)).Within(1e-13 * (1 + Math.Abs(f.FirstDerivative(p)))));
            Assert.That(jet[2][k].item<double>(), Is.EqualTo(f.SecondDerivative(p)).Within(1e-12 * (1 + Math.Abs(f.SecondDerivative(p)))));
            Assert.That(expression.Evaluate(p), Is.EqualTo(f.Value(p)).Within(1e-14 * (1 + Math.Abs(f.Value(p)))), expression.ToString());
        }
        Assert.That(f.Evaluate(z, 0), Has.Length.EqualTo(1));
        Assert.That(f.Evaluate(z, 1), Has.Length.EqualTo(2));
    }

    [Test]
    public void SingularArgumentsStayFiniteInTensorEvaluation()
    {
        var z = tensor(new[] { -1.0, 0.0, 1e-12 }, ScalarType.Float64);
        foreach (var f in new[] { SymbolicFunction.Log, SymbolicFunction.Sqrt, SymbolicFunction.Reciprocal })
            foreach (var t in f.Evaluate(z, 2))
                Assert.That(t.isfinite().all().item<bool>(), Is.True, f.Name);
    }

    [Test]
    public void DomainsAreChecked()
    {
        Assert.That(SymbolicFunction.Log.AcceptsRange(0.1, 3), Is.True);
        Assert.That(SymbolicFunction.Log.AcceptsRange(0, 3), Is.False);
        Assert.That(SymbolicFunction.Reciprocal.AcceptsRange(-3, -0.5), Is.True);
        Assert.That(SymbolicFunction.Reciprocal.AcceptsRange(-3, 0.5), Is.False);
        Assert.That(SymbolicFunction.Tan.AcceptsRange(-1.5, 1.5), Is.True);
        Assert.That(SymbolicFunction.Tan.AcceptsRange(1, 2), Is.False);
        Assert.That(SymbolicFunction.Tan.AcceptsRange(2, 4), Is.True);
        Assert.That(SymbolicFunction.Sin.AcceptsRange(double.NaN, 1), Is.False);
    }

    [Test]
    public void LibraryHasTheFunctionsSpecsName()
    {
        Assert.That(SymbolicLibrary.Names, Is.EqualTo(new[]
        {
            "x", "x^2", "x^3", "x^4", "1/x", "sqrt", "exp", "log", "sin", "cos", "tan", "tanh", "sigmoid", "cosh", "arctan",
            "abs", "gaussian", "0",
        }));
        Assert.Throws<ArgumentException>(() => SymbolicLibrary.ByName("sinc"));
    }
}
