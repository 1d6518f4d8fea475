using Kan.Pde.Runner.Comparison;
using NUnit.Framework;

namespace Kan.Pde.Tests.Comparison;

/// <summary>The small pieces of arithmetic behind the comparison tables: power-law fits, spreads, the step-error file.</summary>
public class ComparisonMathTests
{
    [Test]
    public void PowerLawFitRecoversAnExactLaw()
    {
        // error = 3·N^-4 exactly at N = 10, 40, 250.
        var points = new[] { 10.0, 40, 250 }.Select(n => (n, 3 * Math.Pow(n, -4))).ToArray();
        var fit = PowerLawFit.Of(points)!;
        Assert.That(fit.Slope, Is.EqualTo(-4).Within(1e-12));
        Assert.That(fit.Log10Prefactor, Is.EqualTo(Math.Log10(3)).Within(1e-12));
        Assert.That(fit.At(100), Is.EqualTo(3e-8).Within(1e-9).Percent);
    }

    [Test]
    public void PowerLawFitIsTheLeastSquaresLineInLogs()
    {
        // log10 N = 1, 2, 3 and log10 e = -1, -3, -4: slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = (−1·(5/3) + 1·(−4/3))/2 = −1.5.
        var fit = PowerLawFit.Of([(10, 0.1), (100, 1e-3), (1000, 1e-4)])!;
        Assert.That(fit.Slope, Is.EqualTo(-1.5).Within(1e-12));
        Assert.That(fit.Log10Prefactor, Is.EqualTo(-8.0 / 3 + 1.5 * 2).Within(1e-12));
        Assert.That(fit.Points, Is.EqualTo(3));
    }

    [Test]
    public void NoSlopeWithoutTwoDistinctSizesOrPositiveErrors()
    {
        Assert.That(PowerLawFit.Of([(10, 0.1), (10, 0.2)]), Is.Null);
        Assert.That(PowerLawFit.Of([(10, 0.1), (20, double.NaN), (30, 0)]), Is.Null);
    }

    [Test]
    public void SpreadAndGeometricMean()
    {
        var s = Spread.Of([1.0, 2.0, 6.0]);
        Assert.That((s.Mean, s.Min, s.Max, s.Count), Is.EqualTo((3.0, 1.0, 6.0, 3)));
        Assert.That(s.Std, Is.EqualTo(Math.Sqrt((4 + 1 + 9) / 2.0)).Within(1e-15));
        Assert.That(Spread.Of([5.0]).Std, Is.EqualTo(0));
        Assert.That(double.IsNaN(Spread.Of([1.0, double.NaN]).Mean), Is.True);
        Assert.That(Spread.GeometricMean([1e-8, 1e-6]), Is.EqualTo(1e-7).Within(1e-12).Percent);
        Assert.That(double.IsNaN(Spread.GeometricMean([1e-8, 0])), Is.True);
    }

    [Test]
    public void StepErrorsFileRoundTripsEveryBit()
    {
        KeyValuePair<string, double> P(string k, double v) => new(k, v);
        var rows = new[]
        {
            new StepErrors(0, 0, 5, 300, 0.1 / 3, [P("pde", Math.PI), P("boundary", 1e-300)], 0.2, 1.0 / 7, double.NaN,
                [P("u", 1.0 / 7), P("p", 2e-17)], 1.25),
            new StepErrors(1, 1, 10, 450, 1e-5, [P("pde", 2.5), P("boundary", 0)], 0.01, 3e-9, 4e-7, [P("u", 3e-9), P("p", 5.5)], 2.5),
        };
        string text = StepErrorsCsv.Format(rows);
        Assert.That(text.Split('\n')[0], Is.EqualTo("step,stage,grid,parameters,total_loss,loss_pde,loss_boundary,relative_l2,l2_squared,h1_squared,l2_squared_u,l2_squared_p,seconds"));
        var back = StepErrorsCsv.Parse(text);
        Assert.That(back, Has.Count.EqualTo(2));
        for (int i = 0; i < 2; i++)
        {
            Assert.That((back[i].Step, back[i].Stage, back[i].Grid, back[i].Parameters), Is.EqualTo((rows[i].Step, rows[i].Stage, rows[i].Grid, rows[i].Parameters)));
            Assert.That(back[i].Terms, Is.EqualTo(rows[i].Terms));
            Assert.That(back[i].FieldL2Squared, Is.EqualTo(rows[i].FieldL2Squared));
            Assert.That((back[i].TotalLoss, back[i].RelativeL2, back[i].L2Squared, back[i].Seconds),
                Is.EqualTo((rows[i].TotalLoss, rows[i].RelativeL2, rows[i].L2Squared, rows[i].Seconds)));
        }
        Assert.That(double.IsNaN(back[0].H1Squared), Is.True);
        Assert.Throws<FormatException>(() => StepErrorsCsv.Parse("step,stage\n1,2\n"));
    }
}
