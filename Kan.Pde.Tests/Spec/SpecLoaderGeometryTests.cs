using Kan.Pde.Core.Adaptive;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Problems.Common;
using Kan.Pde.Problems.Helmholtz;
using Kan.Pde.Problems.Poisson;
using Kan.Pde.Runner.Setup;
using Kan.Pde.Runner.Spec;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Spec;

/// <summary>Spec keys of geometry, samplers, adaptive collocation, boundary condition kinds and hard boundaries.</summary>
public class SpecLoaderGeometryTests
{
    private const string Spec = """
        name: lshape
        problem:
          family: helmholtz
          domain:
            geometry:
              difference:
                - box: {x: [-1, 1], y: [-1, 1]}
                - box: {x: [0, 1], y: [0, 1]}
                  name: notch
          wave_number: 2
          exact: sin(x)*cos(y)
          boundary:
            - {on: [x-min, y-min], value: 0.5}
            - {on: x-max, normal_derivative: cos(x)*cos(y)}
            - {on: [y-max, notch], robin: {a: 1, b: 2}}
        model:
          type: kan
          widths: [2, 3, 1]
          hard_boundary: {distance: (1 + x)*(1 + y), value: sin(x)*cos(y)}
        collocation:
          interior: {sampler: halton, count: 300}
          boundary: {sampler: latin_hypercube, count: 80}
          resample_every: 5
          adaptive: {every: 10, exponent: 2, candidates: 900}
          point_weights: {decay: 0.99, rate: 0.05, terms: [pde]}
        loss:
          weights: {pde: 0.1}
          balancing: {method: grad_norm, every: 4}
        schedule:
          - {optimizer: adam, steps: 3, grid: 5}
          - {optimizer: adam, steps: 3, grid: 8, optimizer_state: carry}
        """;

    [Test]
    public void EveryNewKeyIsRead()
    {
        var spec = SpecLoader.Parse(Spec, "t.yaml");
        var region = (Difference)spec.Problem.Geometry;
        Assert.That(region.BoundaryParts, Is.EqualTo(new[] { "x-min", "x-max", "y-min", "y-max", "notch" }));
        var problem = (HelmholtzProblem)spec.Problem.Definition;
        Assert.That(problem.Conditions.Select(c => c.Kind), Is.EqualTo(new[] { BoundaryKind.Dirichlet, BoundaryKind.Neumann, BoundaryKind.Robin }));
        Assert.That(problem.LossTermNames, Is.EqualTo(new[] { "pde", "boundary", "neumann", "robin" }));
        Assert.That(spec.Collocation.Interior.Kind, Is.EqualTo(SamplerKind.Halton));
        Assert.That(spec.Collocation.Boundary.Kind, Is.EqualTo(SamplerKind.LatinHypercube));
        Assert.That(spec.Collocation.ResampleEvery, Is.EqualTo(5));
        Assert.That(spec.Collocation.Adaptive, Is.EqualTo(new ResidualAdaptiveSampling(10, 2, 1, 900)));
        Assert.That(spec.Collocation.PointWeights!.Terms, Is.EqualTo(new[] { "pde" }));
        Assert.That(spec.Loss.Balancing, Is.EqualTo(new TermBalancing(BalancingMethod.GradNorm, 4, 0.9)));
        Assert.That(spec.Schedule.Select(s => s.CarryState), Is.EqualTo(new[] { false, true }));
        Assert.That(spec.Model.HardBoundary!.Distance.ToString(), Is.EqualTo("(1 + x)*(1 + y)"));
    }

    [Test]
    public void TheSpecTrainsWithEveryAdaptationSwitchedOn()
    {
        var spec = SpecLoader.Parse(Spec, "t.yaml");
        using var setup = RunSetup.Build(spec);
        Assert.That(setup.Network, Is.InstanceOf<HardBoundary>());
        Assert.That(setup.Points.Interior.shape[0], Is.EqualTo(300));
        var trainer = setup.CreateTrainer(setup.Network);
        var result = trainer.Run(setup.Schedule);
        Assert.That(result.History, Has.Count.EqualTo(6));
        Assert.That(result.History.All(h => double.IsFinite(h.TotalLoss)));
        var adaptation = (AdaptiveCollocation)trainer.Adaptation!;
        Assert.That(adaptation.Resamplings, Is.EqualTo(1), "resampled after step 5 (index 4)");
        Assert.That(adaptation.Points.Interior.allclose(setup.Points.Interior, 0, 0), Is.False);
        // The Dirichlet term sits where the hard boundary's distance vanishes: no gradient, so no balanced weight.
        Assert.That(adaptation.Balancer!.Weights.Keys, Is.EquivalentTo(new[] { "pde", "neumann", "robin" }));
        Assert.That(adaptation.PointWeights!.Of("pde"), Is.Not.Null);
    }

    [TestCase("            - {on: [y-max, notch], robin: {a: 1, b: 2}}", "            - {on: [y-max], robin: {a: 1, b: 2}}", "notch")]
    [TestCase("                  name: notch", "                  name: all", "invalid boundary part name")]
    [TestCase("                  name: notch", "", "appears in two operands")]
    [TestCase("          resample_every: 5", "          resample_every: 0", "out of range")]
    [TestCase("          - {optimizer: adam, steps: 3, grid: 5}", "          - {optimizer: lbfgs, steps: 3, grid: 5}", "carry needs an adam stage")]
    [TestCase("            - {on: x-max, normal_derivative: cos(x)*cos(y)}", "            - {on: x-max, normal_derivative: cos(x)*cos(y), value: 1}", "not allowed in a neumann condition")]
    [TestCase("          interior: {sampler: halton, count: 300}", "          interior: {sampler: mesh, points: 20}", "residual-adaptive sampling draws candidates")]
    public void MistakesAreReportedAtTheirField(string line, string replacement, string message)
    {
        var lines = Spec.Split('\n').ToList();
        int i = lines.FindIndex(l => l.Trim() == line.Trim());
        Assert.That(i, Is.GreaterThanOrEqualTo(0), "the line is in the spec");
        string indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
        if (replacement.Length == 0) lines.RemoveAt(i);
        else lines[i] = indent + replacement.Trim();
        var yaml = string.Join("\n", lines);
        Assert.That(yaml, Is.Not.EqualTo(Spec), "the test edits the spec");
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "t.yaml"))!;
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void TheBoxFormOfTheDomainIsUnchangedAndDiskAndPolygonParse()
    {
        var disk = Spec.Replace("""
                  difference:
                    - box: {x: [-1, 1], y: [-1, 1]}
                    - box: {x: [0, 1], y: [0, 1]}
                      name: notch
            """, """
                  union:
                    - disk: {centre: [0, 0], radius: 1}
                      name: round
                    - polygon: [[0, -2], [2, -2], [2, 0]]
            """).Replace("[x-min, y-min]", "[round, side-1]").Replace("x-max,", "side-2,").Replace("[y-max, notch]", "[side-3]");
        var spec = SpecLoader.Parse(disk, "t.yaml");
        Assert.That(spec.Problem.Geometry.BoundaryParts, Is.EqualTo(new[] { "round", "side-1", "side-2", "side-3" }));
        Assert.That(spec.Problem.Domain.Select(a => (a.Lo, a.Hi)), Is.EqualTo(new[] { (-1.0, 2.0), (-2.0, 1.0) }));
    }
}
