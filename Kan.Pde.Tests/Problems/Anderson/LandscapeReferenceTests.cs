using Kan.Pde.Core.Expressions;
using Kan.Pde.Problems.Anderson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems.Anderson;

public class LandscapeReferenceTests
{
    [Test]
    public void OneDimensionalConstantPotentialMatchesTheClosedForm()
    {
        // −u'' + c u = 1 on [0, L], u(0) = u(L) = 0: u = (1 − cosh(√c (x − L/2)) / cosh(√c L/2)) / c.
        const double c = 2.5, L = 6;
        var potential = new ExpressionPotential(ExpressionParser.Parse("2.5", new[] { "x" }), "2.5");
        var result = LandscapeReference.Solve(potential, new[] { 0.0 }, new[] { L }, new[] { 241 });
        double k = Math.Sqrt(c), maxError = 0;
        foreach (double x in new[] { 0.013, 0.7, 1.9, 3.0, 4.44, 5.99 })
        {
            double exact = (1 - Math.Cosh(k * (x - L / 2)) / Math.Cosh(k * L / 2)) / c;
            maxError = Math.Max(maxError, Math.Abs(result.Solution.At(new[] { x }) - exact));
        }
        Assert.That(maxError, Is.LessThan(1e-7));
        // The plain second-order solutions differ by O(h²): a few 1e-5 of max u here.
        Assert.That(result.Correction, Is.InRange(1e-6, 1e-3));
    }

    [Test]
    public void TwoDimensionalSolveMatchesTheSineSeries()
    {
        // −Δu + c u = 1 on the unit square: u = Σ_{m,n odd} 16 sin(mπx) sin(nπy) / (π² m n (π²(m² + n²) + c)).
        const double c = 3.0;
        var potential = new ExpressionPotential(ExpressionParser.Parse("3", new[] { "x", "y" }), "3");
        var result = LandscapeReference.Solve(potential, new[] { 0.0, 0.0 }, new[] { 1.0, 1.0 }, new[] { 41, 41 });
        foreach (var (x, y) in new[] { (0.5, 0.5), (0.1, 0.3), (0.77, 0.9) })
        {
            double series = 0;
            for (int m = 1; m < 400; m += 2)
                for (int n = 1; n < 400; n += 2)
                    series += 16 * Math.Sin(m * Math.PI * x) * Math.Sin(n * Math.PI * y) / (Math.PI * Math.PI * m * n * (Math.PI * Math.PI * (m * m + n * n) + c));
            Assert.That(result.Solution.At(new[] { x, y }), Is.EqualTo(series).Within(2e-6), $"u({x}, {y})");
        }
    }

    [Test]
    public void CubicInterpolationIsExactForCubics()
    {
        var xs = Enumerable.Range(0, 9).Select(i => -1 + 0.25 * i).ToArray();
        double Cubic(double x) => 2 * x * x * x - x * x + 0.5 * x - 3;
        var grid = new GridFunction(new[] { -1.0 }, new[] { 1.0 }, new[] { 9 }, xs.Select(Cubic).ToArray());
        foreach (double x in new[] { -1.0, -0.93, -0.1, 0.0, 0.33, 0.999, 1.0 })
            Assert.That(grid.At(new[] { x }), Is.EqualTo(Cubic(x)).Within(1e-13));
    }

    [Test]
    public void FreeParticleEigenstatesAreSines()
    {
        // V = 0 on [0, π]: E_k = (k+1)², ψ_k = √(2/π) sin((k+1)x), IPR = ∫ψ⁴ = 3/(2π) for every k.
        var potential = new ExpressionPotential(ExpressionParser.Parse("0", new[] { "x" }), "0");
        var states = SchrodingerReference.Lowest(potential, 0, Math.PI, 201, 3);
        for (int k = 0; k < 3; k++)
        {
            Assert.That(states[k].Energy, Is.EqualTo((k + 1) * (k + 1)).Within(1e-6 * (k + 1) * (k + 1)));
            double x = 0.4;
            // Largest lobe positive: for sin((k+1)x) on [0, π] the first lobe is positive, and all lobes are equal.
            Assert.That(Math.Abs(states[k].State.At(new[] { x })), Is.EqualTo(Math.Sqrt(2 / Math.PI) * Math.Abs(Math.Sin((k + 1) * x))).Within(1e-4));
        }
    }

    [Test]
    public void WellsAreTheMinimaOfTheEffectivePotential()
    {
        // u with two bumps: 1/u has wells at the bumps' peaks, the higher bump being the deeper well.
        var xs = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray();
        var u = xs.Select(x => 0.01 + Math.Exp(-Math.Pow((x - 0.3) / 0.05, 2)) + 0.5 * Math.Exp(-Math.Pow((x - 0.7) / 0.05, 2))).ToArray();
        var wells = LandscapeWells.Find(new GridFunction(new[] { 0.0 }, new[] { 1.0 }, new[] { 101 }, u));
        Assert.That(wells, Has.Count.EqualTo(2));
        Assert.That(wells[0].Position, Is.EqualTo(0.3).Within(1e-12));
        Assert.That(wells[1].Position, Is.EqualTo(0.7).Within(1e-12));
        Assert.That(wells[0].EnergyEstimate(1), Is.EqualTo(1.25 / u[30]).Within(1e-12));
    }
}
