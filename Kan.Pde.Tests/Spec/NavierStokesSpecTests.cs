using Kan.Pde.Problems.NavierStokes;
using Kan.Pde.Runner.Spec;
using NUnit.Framework;

namespace Kan.Pde.Tests.Spec;

/// <summary>The navier-stokes keys and evaluation.reference: accepted forms and the errors of bad ones.</summary>
public class NavierStokesSpecTests
{
    private const string File = "ns.yaml";

    private const string Steady = """
        name: ns
        problem:
          family: navier-stokes
          domain:
            x: [0, 1]
            y: [0, 1]
          reynolds: 100
          boundary:
            - on: [x-min, x-max, y-min]
              u: 0
              v: 0
            - on: y-max
              u: 1
              v: 0
          pressure_gauge: {kind: point, at: [0, 0]}
        model:
          type: mlp
          widths: [2, 8, 3]
        collocation:
          interior: {sampler: mesh, points: 5}
          boundary: {sampler: mesh, points: 5}
        schedule:
          - {optimizer: lbfgs, steps: 1}
        """;

    private const string Unsteady = """
        name: ns
        problem:
          family: navier-stokes
          domain:
            x: [0, 1]
            y: [0, 1]
            t: [0, 1]
          viscosity: 0.5
          exact:
            u: -cos(x)*sin(y)*exp(-t)
            v: sin(x)*cos(y)*exp(-t)
            p: -0.25*(cos(2*x) + cos(2*y))*exp(-2*t)
          boundary:
            - on: [x-min, x-max, y-min, y-max]
            - on: t-min
        model:
          type: mlp
          widths: [3, 8, 3]
        collocation:
          interior: {sampler: random, count: 10}
          boundary: {sampler: random, count: 10}
        schedule:
          - {optimizer: lbfgs, steps: 1}
        """;

    private static string Replace(string yaml, string line, string replacement)
    {
        var lines = yaml.Split('\n').ToList();
        int i = lines.FindIndex(l => l.TrimStart().StartsWith(line, StringComparison.Ordinal));
        Assert.That(i, Is.GreaterThanOrEqualTo(0), $"no line starts with {line}");
        string indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
        lines[i] = replacement.Length == 0 ? "" : indent + replacement;
        return string.Join('\n', lines);
    }

    private static int LineOf(string yaml, string line) =>
        yaml.Split('\n').ToList().FindIndex(l => l.TrimStart().StartsWith(line, StringComparison.Ordinal)) + 1;

    private static void Fails(string yaml, int line, string field, string fragment)
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, File))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.StartWith($"{File}:{line}:"));
            Assert.That(ex.Field, Is.EqualTo(field));
            Assert.That(ex.Message, Does.Contain(fragment));
        });
    }

    [Test]
    public void SteadyAndUnsteadySpecsLoad()
    {
        var steady = (NavierStokesProblem)SpecLoader.Parse(Steady, File).Problem.Definition;
        var unsteady = (NavierStokesProblem)SpecLoader.Parse(Unsteady, File).Problem.Definition;
        Assert.Multiple(() =>
        {
            Assert.That(steady.Viscosity, Is.EqualTo(0.01));
            Assert.That(steady.IsUnsteady, Is.False);
            Assert.That(steady.LossTermNames, Is.EqualTo(new[] { "momentum_x", "momentum_y", "continuity", "boundary", "gauge" }));
            Assert.That(steady.Gauge!.Point, Is.EqualTo(new[] { 0.0, 0.0 }));
            Assert.That(unsteady.Viscosity, Is.EqualTo(0.5));
            Assert.That(unsteady.IsUnsteady, Is.True);
            Assert.That(unsteady.LossTermNames, Is.EqualTo(new[] { "momentum_x", "momentum_y", "continuity", "boundary", "initial" }));
            Assert.That(unsteady.OutputNames, Is.EqualTo(new[] { "u", "v", "p" }));
        });
    }

    [Test]
    public void ViscosityAndReynoldsExcludeEachOther() =>
        Fails(Replace(Steady, "reynolds:", "reynolds: 100\n  viscosity: 0.01"), LineOf(Steady, "reynolds:"), "problem.reynolds", "either 'viscosity' or 'reynolds'");

    [Test]
    public void OneOfViscosityOrReynoldsIsRequired() =>
        Fails(Replace(Steady, "reynolds:", ""), 3, "problem.viscosity", "expected the kinematic viscosity");

    [Test]
    public void ReynoldsMustBePositive() =>
        Fails(Replace(Steady, "reynolds:", "reynolds: 0"), LineOf(Steady, "reynolds:"), "problem.reynolds", "expected a number > 0");

    [Test]
    public void ThreeSpaceDimensionsAreRefused() =>
        Fails(Replace(Steady, "y: [0, 1]", "y: [0, 1]\n    z: [0, 1]"), LineOf(Steady, "domain:") + 1, "problem.domain",
            "navier-stokes is two-dimensional");

    [Test]
    public void TheInitialStateIsRequiredWhenUnsteady() =>
        Fails(Replace(Unsteady, "- on: t-min", ""), LineOf(Unsteady, "boundary:") + 1, "problem.boundary", "no condition for boundary part(s) t-min");

    [Test]
    public void TheFinalTimeTakesNoCondition() =>
        Fails(Replace(Unsteady, "- on: t-min", "- on: [t-min, t-max]"), LineOf(Unsteady, "- on: t-min"), "problem.boundary[1].on", "unknown boundary part 't-max'");

    [Test]
    public void PressureIsNotAnInitialCondition() =>
        Fails(Replace(Unsteady, "- on: t-min", "- {on: t-min, p: 0}"), LineOf(Unsteady, "- on: t-min"), "problem.boundary[1].p", "pressure is not an initial condition");

    [Test]
    public void VelocityIsRequiredWithoutAnExactSolution() =>
        Fails(Replace(Steady, "u: 1", ""), LineOf(Steady, "- on: y-max"), "problem.boundary[1].u", "defaults to the exact solution only when 'problem.exact' is given");

    [Test]
    public void TheExactSolutionNeedsAllThreeFields() =>
        Fails(Replace(Unsteady, "p: -0.25", ""), LineOf(Unsteady, "exact:") + 1, "problem.exact.p", "required");

    [Test]
    public void AnExactFieldIsAnExpressionInTheDomainsVariables() =>
        Fails(Replace(Unsteady, "u: -cos(x)", "u: z*t"), LineOf(Unsteady, "u: -cos(x)"), "problem.exact.u", "unknown");

    [Test]
    public void AMeanGaugeCannotFixAnUnsteadyPressure() =>
        Fails(Replace(Unsteady, "- on: t-min", "- on: t-min\n  pressure_gauge: {kind: mean}"), LineOf(Unsteady, "- on: t-min") + 1,
            "problem.pressure_gauge.kind", "use kind: point");

    [Test]
    public void TheGaugePointLiesInTheDomain() =>
        Fails(Replace(Steady, "pressure_gauge:", "pressure_gauge: {kind: point, at: [0, 2]}"), LineOf(Steady, "pressure_gauge:"),
            "problem.pressure_gauge.at", "outside the domain");

    [Test]
    public void AMeanGaugeHasNoPoint() =>
        Fails(Replace(Steady, "pressure_gauge:", "pressure_gauge: {kind: mean, at: [0, 0]}"), LineOf(Steady, "pressure_gauge:"),
            "problem.pressure_gauge.at", "only for kind: point");

    [Test]
    public void TheNetworkHasThreeOutputs() =>
        Fails(Replace(Steady, "widths:", "widths: [2, 8, 1]"), LineOf(Steady, "widths:"), "model.widths[2]",
            "the last width must be 3 (navier-stokes has the outputs u, v, p), got 1");

    [Test]
    public void LossWeightsNameTheFlowTerms() =>
        Fails(Replace(Steady, "schedule:", "loss: {weights: {pde: 1}}\nschedule:"), LineOf(Steady, "schedule:"), "loss.weights.pde",
            "momentum_x, momentum_y, continuity, boundary, gauge");
}
