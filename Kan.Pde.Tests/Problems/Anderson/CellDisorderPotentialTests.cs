using Kan.Pde.Problems.Anderson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

public class CellDisorderPotentialTests
{
    [Test]
    public void SharpCellsHoldTheirDrawnValues()
    {
        var v = new CellDisorderPotential(new[] { 0.0 }, new[] { 10.0 }, 4, 1, 0, seed: 3);
        Assert.That(v.Cells, Is.EqualTo(new[] { 10 }));
        var random = new Random(3);
        for (int k = 0; k < 10; k++)
        {
            double expected = 4 * random.NextDouble();
            Assert.That(v.CellValues[k], Is.EqualTo(expected));
            Assert.That(v.At(new[] { k + 0.01 }), Is.EqualTo(expected));
            Assert.That(v.At(new[] { k + 0.99 }), Is.EqualTo(expected));
        }
        Assert.That(v.CellValues.All(c => c >= 0 && c <= 4));
    }

    [Test]
    public void SmoothedCellsBlendByTanhSteps()
    {
        const double delta = 0.05;
        var v = new CellDisorderPotential(new[] { 0.0 }, new[] { 5.0 }, 2, 1, delta, seed: 8);
        var c = v.CellValues;
        // Mid-cell the neighbours' tails are e^{−2·0.5/δ} ≈ 2e-9 of W.
        for (int k = 0; k < 5; k++) Assert.That(v.At(new[] { k + 0.5 }), Is.EqualTo(c[k]).Within(1e-8));
        // On an interface the value is the mean of the two cells, and a step of width δ further it is tanh(1) of the way.
        Assert.That(v.At(new[] { 2.0 }), Is.EqualTo(0.5 * (c[1] + c[2])).Within(1e-8));
        double s = 0.5 * (1 + Math.Tanh(1));
        Assert.That(v.At(new[] { 2.0 + delta }), Is.EqualTo(c[1] + (c[2] - c[1]) * s).Within(1e-8));
    }

    [Test]
    public void TwoDimensionalCellsAreATensorProductBlend()
    {
        var v = new CellDisorderPotential(new[] { -1.0, 0.0 }, new[] { 3.0, 2.0 }, 1, 1, 0.02, seed: 1);
        Assert.That(v.Cells, Is.EqualTo(new[] { 3, 2 }));
        var c = v.CellValues;
        Assert.That(v.At(new[] { 0.5, 1.5 }), Is.EqualTo(c[1 * 2 + 1]).Within(1e-8));
        // At a corner shared by four cells: their mean.
        Assert.That(v.At(new[] { 0.0, 1.0 }), Is.EqualTo((c[0] + c[1] + c[2] + c[3]) / 4).Within(1e-8));
    }

    [Test]
    public void TooWideSmoothingIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CellDisorderPotential(new[] { 0.0 }, new[] { 5.0 }, 2, 1, 0.2, 0));
}
