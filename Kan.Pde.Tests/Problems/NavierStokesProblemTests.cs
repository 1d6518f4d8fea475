using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.NavierStokes;
using Kan.Pde.Runner.Spec;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Problems;

/// <summary>
/// The Navier–Stokes residuals of exact flows vanish through the framework's derivative machinery (forward-mode jets
/// and nested reverse-mode autograd), with the bundled specs' expressions, which in turn match the reference samples.
/// </summary>
public class NavierStokesProblemTests
{
    private static string SpecPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "problems-yaml", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"problems-yaml/{name} not found above {AppContext.BaseDirectory}");
    }

    private static NavierStokesProblem Load(string spec) => (NavierStokesProblem)SpecLoader.Load(SpecPath(spec)).Problem.Definition;

    private static CollocationSet Points(IDomain domain, int perAxis)
    {
        var box = domain.Bounds;
        return new CollocationSet(box.Mesh(Enumerable.Repeat(perAxis, box.Dimension).ToArray(), ScalarType.Float64, CPU),
            box.MeshBoundary(perAxis, ScalarType.Float64, CPU), domain);
    }

    private static Dictionary<string, double> Terms(NavierStokesProblem problem, Func<ExpressionNetwork, IFieldEvaluator> evaluator)
    {
        var exact = problem.ExactFlow!;
        using var network = new ExpressionNetwork(exact.U, exact.V, exact.P);
        return problem.Losses(evaluator(network), Points(problem.Domain, 9)).ToDictionary(t => t.Name, t => t.MeanSquare.item<double>());
    }

    [TestCase("kovasznay-re20.yaml")]
    [TestCase("kovasznay-re40.yaml")]
    [TestCase("taylor-green-nu1.yaml")]
    [TestCase("taylor-green-nu0.01.yaml")]
    public void TheExactFlowHasZeroResidualsInForwardAndReverseMode(string spec)
    {
        var problem = Load(spec);
        foreach (var (mode, terms) in new[] { ("forward", Terms(problem, n => new ForwardModeEvaluator(n))), ("reverse", Terms(problem, n => new ReverseModeEvaluator(n))) })
        {
            TestContext.Out.WriteLine($"{spec} {mode}: {string.Join(", ", terms.Select(t => $"{t.Key} {t.Value:E2}"))}");
            Assert.That(terms.Keys, Is.EquivalentTo(problem.LossTermNames));
            // Mean squares of O(1) terms that cancel: round-off is ~1e-30; any wrong sign or factor gives ≥ 1e-4.
            foreach (var (name, value) in terms) Assert.That(value, Is.LessThan(1e-24), $"{mode}: {name}");
        }
    }

    [Test]
    public void AWrongViscosityLeavesAMomentumResidual()
    {
        var re40 = Load("kovasznay-re40.yaml");
        var wrong = new NavierStokesProblem(re40.Domain, 1.0 / 20, new[] { new VelocityCondition(re40.Domain.BoundaryParts, re40.ExactFlow!.U, re40.ExactFlow.V) },
            re40.ExactFlow);
        var terms = Terms(wrong, n => new ForwardModeEvaluator(n));
        Assert.That(terms["momentum_x"], Is.GreaterThan(1e-3));
        Assert.That(terms["continuity"], Is.LessThan(1e-24));
    }

    [TestCase("kovasznay-re40.yaml")]
    [TestCase("taylor-green-nu1.yaml")]
    public void ThePressurePoissonTermVanishesForTheExactFlowAndNotForAWrongPressure(string spec)
    {
        var loaded = Load(spec);
        var e = loaded.ExactFlow!;
        NavierStokesProblem WithPoisson(FlowExpressions flow) =>
            new(loaded.Domain, loaded.Viscosity, loaded.Conditions, flow, loaded.Gauge, pressurePoisson: true);
        foreach (var mode in new Func<ExpressionNetwork, IFieldEvaluator>[] { n => new ForwardModeEvaluator(n), n => new ReverseModeEvaluator(n) })
        {
            var terms = Terms(WithPoisson(e), mode);
            Assert.That(terms.Keys, Does.Contain("pressure_poisson"));
            Assert.That(terms["pressure_poisson"], Is.LessThan(1e-24));
        }
        // Twice the pressure has the wrong Laplacian; the velocity terms that do not involve p stay exact.
        var doubled = new FlowExpressions(e.U, e.V, Kan.Pde.Core.Expressions.Expr.Constant(2, loaded.Domain.Variables) * e.P);
        var wrong = Terms(WithPoisson(doubled), n => new ForwardModeEvaluator(n));
        Assert.That(wrong["pressure_poisson"], Is.GreaterThan(1e-4));
        Assert.That(wrong["continuity"], Is.LessThan(1e-24));
    }

    [TestCase("kovasznay-re40.yaml")]
    [TestCase("taylor-green-nu1.yaml")]
    public void BoundaryResidualsVanishForTheExactFlowAndSeeAWrongViscosityAtTheWalls(string spec)
    {
        var loaded = Load(spec);
        NavierStokesProblem With(double viscosity) =>
            new(loaded.Domain, viscosity, loaded.Conditions, loaded.ExactFlow, loaded.Gauge, pressurePoisson: true, boundaryResiduals: true);
        foreach (var mode in new Func<ExpressionNetwork, IFieldEvaluator>[] { n => new ForwardModeEvaluator(n), n => new ReverseModeEvaluator(n) })
        {
            var terms = Terms(With(loaded.Viscosity), mode);
            Assert.That(terms.Keys, Is.EquivalentTo(loaded.LossTermNames.Append("pressure_poisson").Distinct()));
            foreach (var (name, value) in terms) Assert.That(value, Is.LessThan(1e-24), name);
        }
        // A mesh of 9 points per axis has interior and boundary points; the interior-only mean differs from the one
        // with the boundary points once a residual is not zero.
        var wrong = Terms(With(2 * loaded.Viscosity), n => new ForwardModeEvaluator(n));
        var interiorOnly = Terms(new NavierStokesProblem(loaded.Domain, 2 * loaded.Viscosity, loaded.Conditions, loaded.ExactFlow, loaded.Gauge),
            n => new ForwardModeEvaluator(n));
        Assert.That(wrong["momentum_x"], Is.GreaterThan(1e-6));
        Assert.That(wrong["momentum_x"], Is.Not.EqualTo(interiorOnly["momentum_x"]).Within(1e-3 * interiorOnly["momentum_x"]));
    }

    // ../shared/reference/kovasznay-samples.csv (Re, x, y, u, v, p).
    [TestCase("kovasznay-re20.yaml", -0.5, -0.5, 3.47205319902976, 0, -2.55552350941662)]
    [TestCase("kovasznay-re20.yaml", -0.5, 0.125, -0.748005580487838, -0.503576046276956, -2.55552350941662)]
    [TestCase("kovasznay-re20.yaml", 0.0, 0.25, 1.00000000000000, -0.288086063281570, 0)]
    [TestCase("kovasznay-re20.yaml", 0.5, 0.7, 1.12500418457670, 0.110833426985022, 0.418180960077859)]
    [TestCase("kovasznay-re40.yaml", -0.5, -0.5, 2.61909972926596, 0, -0.810741966654556)]
    [TestCase("kovasznay-re40.yaml", -0.5, 0.125, -0.144876397981265, -0.175605803248645, -0.810741966654556)]
    [TestCase("kovasznay-re40.yaml", 0.0, 0.25, 1.00000000000000, -0.153384071466830, 0)]
    [TestCase("kovasznay-re40.yaml", 0.5, 0.7, 1.19085729482213, 0.0900975511437734, 0.309268333234128)]
    [TestCase("kovasznay-re40.yaml", 1.0, 1.5, 1.38146333353174, 0, 0.427242862585425)]
    public void KovasznaySpecMatchesTheReferenceSamples(string spec, double x, double y, double u, double v, double p) =>
        AssertExact(Load(spec), new[] { x, y }, u, v, p);

    // ../shared/reference/taylor-green-samples.csv (ν, t, x, y, u, v, p), k = 1.
    [TestCase(0.0, 0.5, 1.0, -0.738460262604129, 0.259034723999926, -0.0310388673302493)]
    [TestCase(1.0, 0.5, 1.0, -0.0999397287985131, 0.0350565377406477, -0.000568496685536176)]
    [TestCase(0.5, 3.0, 2.0, 0.331164200970959, -0.0216043253178469, -0.0103709682834562)]
    [TestCase(2.0, 5.0, 4.5, 0.00507871291178687, 0.00370227212732460, 0.000146781823038876)]
    public void TaylorGreenSpecMatchesTheReferenceSamples(double t, double x, double y, double u, double v, double p) =>
        AssertExact(Load("taylor-green-nu1.yaml"), new[] { x, y, t }, u, v, p);

    private static void AssertExact(NavierStokesProblem problem, double[] at, double u, double v, double p)
    {
        var e = problem.ExactFlow!;
        Assert.Multiple(() =>
        {
            Assert.That(e.U.Evaluate(at), Is.EqualTo(u).Within(1e-12 * (1 + Math.Abs(u))));
            Assert.That(e.V.Evaluate(at), Is.EqualTo(v).Within(1e-12 * (1 + Math.Abs(v))));
            Assert.That(e.P.Evaluate(at), Is.EqualTo(p).Within(1e-12 * (1 + Math.Abs(p))));
        });
    }
}
