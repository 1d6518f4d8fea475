using Kan.Pde.Core.Symbolic;
using NUnit.Framework;

namespace Kan.Pde.Tests.Symbolic;

public class SymbolicFitterTests
{
    /// <summary>A target c·f(a·x + b) + d per library function, with a, b chosen so that a·x + b stays in f's domain on [−1, 1].</summary>
    private static IEnumerable<TestCaseData> Targets()
    {
        yield return Case("x", 1.3, 0.2, 1.7, -0.4);
        yield return Case("x^2", 1.0, 0.3, -2.1, 0.5);
        yield return Case("x^3", 1.0, -0.4, 0.8, 0.1);
        yield return Case("x^4", -1.0, 0.5, 1.2, -0.3);
        yield return Case("1/x", 1.0, 1.5, 0.9, 0.2);
        yield return Case("sqrt", 1.0, 1.2, 2.0, -1.0);
        yield return Case("exp", 1.5, -0.2, 0.7, 0.3);
        yield return Case("log", 2.0, 2.5, 1.1, 0.4);
        yield return Case("sin", 2.3, 0.4, 1.5, -0.2);
        yield return Case("cos", 3.1, -0.7, -0.9, 0.6);
        yield return Case("tan", 1.2, 0.1, 0.5, 0.0);
        yield return Case("tanh", 3.0, -0.5, 1.4, 0.2);
        yield return Case("sigmoid", 4.0, 1.0, 2.0, -1.0);
        yield return Case("cosh", 1.7, 0.3, 0.6, -0.5);
        yield return Case("arctan", 3.0, 0.5, 1.3, 0.1);
        yield return Case("abs", 2.0, 0.3, 1.1, -0.6);
        yield return Case("gaussian", 2.0, -0.5, 1.8, 0.2);
    }

    private static TestCaseData Case(string name, double a, double b, double c, double d) =>
        new TestCaseData(name, a, b, c, d).SetName($"Fits_{name.Replace("/", "over").Replace("^", "pow")}");

    [TestCaseSource(nameof(Targets))]
    public void FittingNoisySamplesRecoversTheFunction(string name, double a, double b, double c, double d)
    {
        var f = SymbolicLibrary.ByName(name);
        var (x, clean, noisy) = Samples(f, a, b, c, d, count: 300, relativeNoise: 1e-3, seed: name.Length * 31 + 7);

        var fit = SymbolicFitter.Fit(x, noisy, f);

        Assert.That(fit.R2, Is.GreaterThanOrEqualTo(0.999), fit.ToString());
        // The fitted curve is the clean one, up to about the noise level (0.1 % of the spread of y).
        double spread = clean.Max() - clean.Min();
        double worst = x.Select((xi, k) => Math.Abs(fit.Evaluate(xi) - clean[k])).Max();
        Assert.That(worst, Is.LessThan(5e-3 * spread), fit.ToString());
    }

    [Test]
    public void ExactSamplesGiveExactParametersForAFunctionWithoutSymmetries()
    {
        // sin has the symmetries a → −a (with c → −c) and b → b + 2π; the fitter returns a > 0 and b within a period.
        var (x, clean, _) = Samples(SymbolicFunction.Sin, 2.3, 0.4, 1.5, -0.2, count: 200, relativeNoise: 0, seed: 1);
        var fit = SymbolicFitter.Fit(x, clean, SymbolicFunction.Sin);
        Assert.That(fit.A, Is.EqualTo(2.3).Within(1e-9));
        Assert.That(fit.B, Is.EqualTo(0.4).Within(1e-9));
        Assert.That(fit.C, Is.EqualTo(1.5).Within(1e-9));
        Assert.That(fit.D, Is.EqualTo(-0.2).Within(1e-9));
        Assert.That(1 - fit.R2, Is.LessThan(1e-15));
    }

    [Test]
    public void ScaleFreeFunctionsComeOutWithUnitScale()
    {
        // 3·(2x + 1)² = 12·(x + 0.5)²: a = 1 and the scale moves into c.
        var x = Enumerable.Range(0, 101).Select(i => -1 + 0.02 * i).ToArray();
        var y = x.Select(v => 3 * (2 * v + 1) * (2 * v + 1)).ToArray();
        var fit = SymbolicFitter.Fit(x, y, SymbolicFunction.Square);
        Assert.That(Math.Abs(fit.A), Is.EqualTo(1));
        Assert.That(fit.B * fit.A, Is.EqualTo(0.5).Within(1e-9));
        Assert.That(fit.C, Is.EqualTo(12).Within(1e-8));
        Assert.That(fit.D, Is.EqualTo(0).Within(1e-8));
    }

    [Test]
    public void ZeroFitsConstantSamplesExactly()
    {
        var x = Enumerable.Range(0, 50).Select(i => i / 49.0).ToArray();
        var y = x.Select(_ => 0.25).ToArray();
        var fit = SymbolicFitter.Fit(x, y, SymbolicFunction.Zero);
        Assert.That(fit.C, Is.EqualTo(0));
        Assert.That(fit.D, Is.EqualTo(0.25));
        Assert.That(fit.R2, Is.EqualTo(1));
        Assert.That(SymbolicFitter.Rank(x, y)[0].Function, Is.SameAs(SymbolicFunction.Zero), "constant data: the simplest function wins");
    }

    [TestCase("sin", 2.3, 0.4)]
    [TestCase("exp", 1.5, -0.2)]
    [TestCase("log", 2.0, 2.5)]
    [TestCase("1/x", 1.0, 1.5)]
    [TestCase("x^2", 1.0, 0.3)]
    [TestCase("x", 1.0, 0.0)]
    [TestCase("abs", 2.0, 0.3)]
    [TestCase("gaussian", 2.0, -0.5)]
    public void RankingPutsTheGeneratingFunctionFirst(string name, double a, double b)
    {
        var f = SymbolicLibrary.ByName(name);
        var (x, _, noisy) = Samples(f, a, b, 1.3, 0.2, count: 300, relativeNoise: 1e-4, seed: 5);
        var ranked = SymbolicFitter.Rank(x, noisy);
        Assert.That(ranked[0].Function.Name, Is.EqualTo(name),
            string.Join("; ", ranked.Take(4).Select(r => $"{r.Function.Name} R2={r.R2:G8} score={SymbolicFitter.Score(r):F2}")));
    }

    [Test]
    public void DomainLimitsAreRespected()
    {
        // Data that look like log(x) near 0 must be fitted with an argument that stays positive on every sample.
        var x = Enumerable.Range(0, 200).Select(i => -1 + 2.0 * i / 199).ToArray();
        var y = x.Select(v => Math.Log(v + 1.05)).ToArray();
        foreach (var f in new[] { SymbolicFunction.Log, SymbolicFunction.Sqrt, SymbolicFunction.Reciprocal, SymbolicFunction.Tan })
        {
            var fit = SymbolicFitter.Fit(x, y, f);
            double z0 = fit.A * x.Min() + fit.B, z1 = fit.A * x.Max() + fit.B;
            Assert.That(f.AcceptsRange(Math.Min(z0, z1), Math.Max(z0, z1)), Is.True, $"{f.Name}: {fit}");
            Assert.That(x.All(v => double.IsFinite(fit.Evaluate(v))), Is.True, f.Name);
        }
        Assert.That(SymbolicFitter.Fit(x, y, SymbolicFunction.Log).R2, Is.GreaterThan(1 - 1e-12));
    }

    [Test]
    public void BadSamplesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => SymbolicFitter.Fit(new[] { 1.0, 2.0 }, new[] { 1.0 }, SymbolicFunction.Sin));
        Assert.Throws<ArgumentException>(() => SymbolicFitter.Fit(Array.Empty<double>(), Array.Empty<double>(), SymbolicFunction.Sin));
        Assert.Throws<ArgumentException>(() => SymbolicFitter.Fit(new[] { 1.0, double.NaN }, new[] { 1.0, 2.0 }, SymbolicFunction.Sin));
    }

    internal static (double[] X, double[] Clean, double[] Noisy) Samples(SymbolicFunction f, double a, double b, double c, double d,
        int count, double relativeNoise, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, count).Select(_ => -1 + 2 * random.NextDouble()).ToArray();
        var clean = x.Select(v => c * f.Value(a * v + b) + d).ToArray();
        double mean = clean.Average();
        double std = Math.Sqrt(clean.Sum(v => (v - mean) * (v - mean)) / count);
        var noisy = clean.Select(v => v + relativeNoise * std * Normal(random)).ToArray();
        return (x, clean, noisy);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
