using System.Globalization;
using Kan.Pde.Core.Expressions;
using NUnit.Framework;

namespace Kan.Pde.Tests.Expressions;

/// <summary>
/// The reference values of /work/shared/reference/poisson.md (u_xx + u_yy = f): the exact solutions and
/// sources written as expressions, and the sources obtained by symbolic differentiation of u.
/// </summary>
public class PoissonReferenceTests
{
    private static readonly string[] XY = { "x", "y" };

    private static readonly Dictionary<string, (string U, string F)> Variants = new()
    {
        ["paper_sin_pix_sin_piy2"] = ("sin(pi*x)*sin(pi*y^2)",
            "-pi^2*(1 + 4*y^2)*sin(pi*x)*sin(pi*y^2) + 2*pi*sin(pi*x)*cos(pi*y^2)"),
        ["pykan_sin_pix_sin_piy"] = ("sin(pi*x)*sin(pi*y)", "-2*pi^2*sin(pi*x)*sin(pi*y)"),
    };

    // variant, x, y, u, f  (17 significant digits, copied from the reference table)
    private const string Table = """
        paper_sin_pix_sin_piy2,0.3,0.7,0.80861779332512609,-23.463316399606090
        paper_sin_pix_sin_piy2,-0.45,0.2,-0.12379017348055048,-4.7396524079166387
        paper_sin_pix_sin_piy2,0.5,0.5,0.70710678118654752,-9.5148454611193928
        paper_sin_pix_sin_piy2,-0.25,-0.75,-0.69351992266107373,23.112257126136654
        pykan_sin_pix_sin_piy,0.3,0.7,0.65450849718747371,-12.919479888783745
        pykan_sin_pix_sin_piy,-0.45,0.2,-0.58054864046304716,11.459570833921068
        pykan_sin_pix_sin_piy,0.5,0.5,1.0000000000000000,-19.739208802178717
        pykan_sin_pix_sin_piy,-0.25,-0.75,0.50000000000000000,-9.8696044010893586
        """;

    public static IEnumerable<TestCaseData> Rows() =>
        Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line =>
        {
            var c = line.Split(',');
            double P(int i) => double.Parse(c[i], CultureInfo.InvariantCulture);
            return new TestCaseData(c[0], P(1), P(2), P(3), P(4)).SetArgDisplayNames(c[0], c[1], c[2]);
        });

    private static void AssertRelative(double expected, double actual, double tolerance = 1e-12) =>
        Assert.That(actual, Is.EqualTo(expected).Within(tolerance * Math.Max(1, Math.Abs(expected))));

    [TestCaseSource(nameof(Rows))]
    public void ExactSolutionMatchesTable(string variant, double x, double y, double u, double f)
    {
        var expr = ExpressionParser.Parse(Variants[variant].U, XY);
        AssertRelative(u, expr.Evaluate(new[] { x, y }));
    }

    [TestCaseSource(nameof(Rows))]
    public void LiteralSourceMatchesTable(string variant, double x, double y, double u, double f)
    {
        var expr = ExpressionParser.Parse(Variants[variant].F, XY);
        AssertRelative(f, expr.Evaluate(new[] { x, y }));
    }

    [TestCaseSource(nameof(Rows))]
    public void SymbolicLaplacianMatchesTable(string variant, double x, double y, double u, double f)
    {
        var exact = ExpressionParser.Parse(Variants[variant].U, XY);
        var laplacian = exact.Derivative(0).Derivative(0) + exact.Derivative(1).Derivative(1);
        AssertRelative(f, laplacian.Evaluate(new[] { x, y }));

        // The printed Laplacian is itself a valid expression with the same values.
        var reparsed = ExpressionParser.Parse(laplacian.ToString(), XY);
        AssertRelative(f, reparsed.Evaluate(new[] { x, y }));
    }

    [Test]
    public void SimplifiedLaplacianStaysSmall()
    {
        var exact = ExpressionParser.Parse("sin(pi*x)*sin(pi*y)", XY);
        var uxx = exact.Derivative(0).Derivative(0);
        Assert.That(uxx.ToString(), Is.EqualTo("-9.869604401089358*sin(pi*x)*sin(pi*y)"));
    }
}
