using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Problems.Poisson;
using NUnit.Framework;

namespace Kan.Pde.Tests.Problems;

public class PoissonProblemTests
{
    private static readonly Box Square = new(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) });
    private static readonly string[] Xy = { "x", "y" };

    // ../shared/reference/poisson.md, "Values for unit tests": (variant, x, y, u, f).
    [TestCase("sin(pi*x)*sin(pi*y^2)", 0.3, 0.7, -23.463316399606090)]
    [TestCase("sin(pi*x)*sin(pi*y^2)", -0.45, 0.2, -4.7396524079166387)]
    [TestCase("sin(pi*x)*sin(pi*y^2)", -0.25, -0.75, 23.112257126136654)]
    [TestCase("sin(pi*x)*sin(pi*y)", 0.3, 0.7, -12.919479888783745)]
    [TestCase("sin(pi*x)*sin(pi*y)", -0.25, -0.75, -9.8696044010893586)]
    public void SourceIsDerivedFromTheExactSolution(string exact, double x, double y, double f)
    {
        var problem = new PoissonProblem(Square, ExpressionParser.Parse(exact, Xy), null, new[] { ("all", (Expr?)null) });
        Assert.That(problem.Source.Evaluate(x, y), Is.EqualTo(f).Within(1e-12 * Math.Abs(f)));
    }

    [Test]
    public void AGivenSourceIsKeptAndEachFaceGetsItsOwnBoundaryValue()
    {
        var source = ExpressionParser.Parse("1", Xy);
        var problem = new PoissonProblem(Square, null, source, new[]
        {
            ("x-min", (Expr?)ExpressionParser.Parse("y", Xy)),
            ("x-max", (Expr?)ExpressionParser.Parse("2", Xy)),
            ("y-min", (Expr?)ExpressionParser.Parse("3", Xy)),
            ("y-max", (Expr?)ExpressionParser.Parse("x+10", Xy)),
        });
        Assert.That(problem.Source, Is.SameAs(source));
        Assert.That(problem.Exact, Is.Null);
        var boundary = Square.MeshBoundary(5, TorchSharp.torch.ScalarType.Float64, TorchSharp.torch.CPU);
        var (points, faces) = (boundary.Points, boundary.Parts);
        var set = new Kan.Pde.Core.Training.CollocationSet(Square.Mesh(new[] { 5, 5 }, TorchSharp.torch.ScalarType.Float64, TorchSharp.torch.CPU), boundary, Square);
        // A network that is zero everywhere: the boundary term is then the mean square of the data.
        using var zero = new Kan.Pde.Core.Networks.Mlp(new[] { 2, 1 }, Kan.Pde.Core.Networks.Activation.Tanh);
        using (TorchSharp.torch.no_grad()) foreach (var p in zero.TrainableParameters) p.zero_();
        var terms = problem.Losses(new Kan.Pde.Core.Derivatives.ForwardModeEvaluator(zero), set);
        var xs = points.select(1, 0).data<double>().ToArray();
        var ys = points.select(1, 1).data<double>().ToArray();
        double expected = Enumerable.Range(0, xs.Length).Select(n => faces[n] switch
        {
            0 => ys[n], 1 => 2.0, 2 => 3.0, _ => xs[n] + 10,
        }).Select(g => g * g).Average();
        Assert.That(terms.Single(t => t.Name == "boundary").MeanSquare.item<double>(), Is.EqualTo(expected).Within(1e-12 * expected));
        Assert.That(terms.Single(t => t.Name == "pde").MeanSquare.item<double>(), Is.EqualTo(1.0).Within(1e-15));
    }
}
