using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Training;
using Kan.Pde.Tests.Problems;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

public class ReferenceSamplesTests
{
    private static readonly string[] Xy = { "x", "y" };

    [Test]
    public void ErrorsSkipAbsentValuesAndRemoveTheGaugeOfConstantFreeOutputs()
    {
        // Outputs u = x + y and p = x·y at three points; u has data at two of them, p at all three but shifted by 5.
        using var network = new ExpressionNetwork(ExpressionParser.Parse("x + y", Xy), ExpressionParser.Parse("x*y", Xy));
        var points = tensor(new[] { 0.0, 0.0, 1.0, 2.0, 3.0, 1.0 }, new long[] { 3, 2 });
        var values = tensor(new[] { 0.1, 5.0, double.NaN, 7.0, 3.7, 8.0 }, new long[] { 3, 2 });
        var set = new ReferenceSamples("table", points, values);

        var errors = set.Compare(network, new[] { "u", "p" }, upToConstant: new[] { 1 });
        Assert.That(errors.Select(e => e.Output), Is.EqualTo(new[] { "u", "p" }));
        var u = errors[0];
        var p = errors[1];
        Assert.Multiple(() =>
        {
            // u: differences −0.1 (at the origin) and +0.3 (at (3, 1)); the NaN at (1, 2) is skipped.
            Assert.That(u.Count, Is.EqualTo(2));
            Assert.That(u.MaxAbsError, Is.EqualTo(0.3).Within(1e-12));
            Assert.That(u.RmsError, Is.EqualTo(Math.Sqrt((0.01 + 0.09) / 2)).Within(1e-12));
            Assert.That(u.UpToConstant, Is.False);
            // p: differences −5, −5, −5: a pure offset, which the gauge removes.
            Assert.That(p.Count, Is.EqualTo(3));
            Assert.That(p.MaxAbsError, Is.EqualTo(0).Within(1e-12));
            Assert.That(p.UpToConstant, Is.True);
        });
        var withoutGauge = set.Compare(network, new[] { "u", "p" });
        Assert.That(withoutGauge[1].MaxAbsError, Is.EqualTo(5).Within(1e-12));
    }

    [Test]
    public void ShapesAreCheckedBeforeEvaluating()
    {
        using var network = new ExpressionNetwork(ExpressionParser.Parse("x", Xy));
        var set = new ReferenceSamples("bad", zeros(3, 3, dtype: ScalarType.Float64), zeros(3, 1, dtype: ScalarType.Float64));
        Assert.Throws<ArgumentException>(() => set.Compare(network, new[] { "u" }));
    }
}
