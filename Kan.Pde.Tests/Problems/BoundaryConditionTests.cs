using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Sampling;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;
using Kan.Pde.Problems.Helmholtz;
using Kan.Pde.Problems.Poisson;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Problems;

/// <summary>Dirichlet, Neumann and Robin terms against exact solutions, on a box and on a disk (curved normals).</summary>
public class BoundaryConditionTests
{
    private static readonly string[] Xy = { "x", "y" };
    private static Expr Parse(string s) => ExpressionParser.Parse(s, Xy);

    private static CollocationSet Points(IRegion region) =>
        new CollocationSampler(region, new PointPlacement(SamplerKind.Sobol, 200), new PointPlacement(SamplerKind.Sobol, 300), 0)
            .Next(ScalarType.Float64, CPU);

    [Test]
    public void EveryTermVanishesForTheExactSolutionAndNotForAnother()
    {
        // u* = exp(x)·sin(2y) + x²; Neumann data ∂u/∂n and Robin data 2u + 3∂u/∂n are typed in by hand from ∇u*.
        var box = new Box(new[] { new Interval("x", -1, 1), new Interval("y", 0, 2) });
        var exact = Parse("exp(x)*sin(2*y) + x^2");
        var conditions = new[]
        {
            BoundaryCondition.Dirichlet(new[] { "x-min" }, Parse("exp(x)*sin(2*y) + x^2")),
            BoundaryCondition.Neumann(new[] { "x-max" }, Parse("exp(x)*sin(2*y) + 2*x")),             // n = +x
            BoundaryCondition.Neumann(new[] { "y-min" }, Parse("-2*exp(x)*cos(2*y)")),                // n = −y
            BoundaryCondition.Robin(new[] { "y-max" }, Parse("2"), Parse("3"), Parse("2*(exp(x)*sin(2*y) + x^2) + 3*2*exp(x)*cos(2*y)")),
        };
        var problem = new PoissonProblem(box, null, PoissonProblem.LaplacianOf(exact, 2), conditions);
        Assert.That(problem.LossTermNames, Is.EqualTo(new[] { "pde", "boundary", "neumann", "robin" }));
        var points = Points(box);
        foreach (var term in problem.Losses(new ExpressionField(exact), points))
            Assert.That(term.MeanSquare.item<double>(), Is.LessThan(1e-24), term.Name);
        var wrong = problem.Losses(new ExpressionField(Parse("exp(x)*sin(2*y) + x^2 + 0.01*x*y")), points);
        foreach (var term in wrong.Where(t => t.Name != "pde"))
            Assert.That(term.MeanSquare.item<double>(), Is.GreaterThan(1e-7), term.Name);
    }

    [Test]
    public void ConditionsWithoutDataTakeThemFromTheExactSolutionOnACurvedBoundary()
    {
        // On the unit disk n = (x, y), so ∂u/∂n of u* = x³ + xy is 3x³ + 2x·y·… computed here independently.
        var disk = new Ball(Xy, new[] { 0.0, 0.0 }, 1);
        var exact = Parse("x^3 + x*y");
        var problem = new HelmholtzProblem(disk, 2.0, exact, null, new[] { BoundaryCondition.Neumann(new[] { "circle" }, null) });
        var points = Points(disk);
        var terms = problem.Losses(new ExpressionField(exact), points);
        Assert.That(terms.Single(t => t.Name == "neumann").MeanSquare.item<double>(), Is.LessThan(1e-24));
        Assert.That(terms.Single(t => t.Name == "pde").MeanSquare.item<double>(), Is.LessThan(1e-24));
        var x = points.Boundary.select(1, 0);
        var y = points.Boundary.select(1, 1);
        var flux = (3 * x.square() + y) * x + x * y;                                   // ∇u*·n with n = (x, y)
        var explicitProblem = new HelmholtzProblem(disk, 2.0, exact, null, new[] { BoundaryCondition.Neumann(new[] { "circle" }, Parse("(3*x^2 + y)*x + x*y")) });
        Assert.That(explicitProblem.Losses(new ExpressionField(exact), points).Single(t => t.Name == "neumann").MeanSquare.item<double>(), Is.LessThan(1e-24));
        Assert.That(flux.abs().max().item<double>(), Is.GreaterThan(0.1), "the check is not vacuous");
    }
}
