using System.Globalization;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Comparison;
using Kan.Pde.Runner.Spec;
using Kan.Pde.Tests.Results;
using Kan.Pde.Tests.Runner;
using NUnit.Framework;

namespace Kan.Pde.Tests.Comparison;

/// <summary>
/// <c>reproduce</c>: the bundled specs are valid and say what the reproductions promise, and each figure's pipeline
/// runs end to end on a tiny stand-in spec (<c>--spec</c>), with summaries that agree with the comparison's numbers.
/// </summary>
public class ReproduceCommandTests
{
    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    [Test]
    public void TheBundledFig33SpecIsThePapersSetup()
    {
        var spec = SpecLoader.ParseCompare(Figure33.Reproduction.BundledSpec(), "fig3.3.yaml");
        var shared = spec.Shared;
        Assert.Multiple(() =>
        {
            Assert.That(shared.Collocation.Interior.Count, Is.EqualTo(10_000));
            Assert.That(shared.Collocation.Boundary.Count, Is.EqualTo(800));
            Assert.That(shared.Loss.Weights["pde"], Is.EqualTo(0.01));
            Assert.That(shared.Problem.Definition.Exact, Is.Not.Null);
            Assert.That(spec.StepPlot, Is.EqualTo(new[] { "KAN [2,10,1]", "MLP [2,10,1] tanh", "MLP [2,100,100,100,1] tanh" }));
            var kans = spec.Models.Where(m => m.Model.Type == ModelType.Kan).Select(m => string.Join(",", m.Model.Widths));
            Assert.That(kans, Is.EquivalentTo(new[] { "2,10,1", "2,5,1", "2,7,1" }));
            var depths = spec.Models.Where(m => m.Model.Type == ModelType.Mlp).Select(m => m.Model.Widths.Count - 1).Distinct();
            Assert.That(depths, Is.EquivalentTo(new[] { 2, 3, 4, 5 }));
            Assert.That(spec.Output, Is.EqualTo("results/fig3.3"));
        });
    }

    [Test]
    public void TheBundledPykanSpecIsTheTutorialSchedule()
    {
        var spec = SpecLoader.ParseCompare(PykanPoissonTutorial.Reproduction.BundledSpec(), "pykan-poisson.yaml");
        Assert.That(spec.Models, Has.Count.EqualTo(1));
        var kan = spec.Models[0].Model;
        Assert.That((string.Join(",", kan.Widths), kan.Kan!.Order), Is.EqualTo(("2,2,1", 3)));
        Assert.That(spec.Shared.Schedule.Select(s => (s.Grid, s.Steps)), Is.EqualTo(new (int?, int)[] { (5, 50), (10, 50), (20, 50) }));
        Assert.That(spec.Shared.Collocation.Interior.Points, Is.EqualTo(new[] { 51, 51 }));
    }

    [Test]
    public void Fig33RunsEndToEndAndItsHeadlineFollowsTheTable()
    {
        string spec = _box.WriteSpec(CompareCommandTests.TinySpec.Replace("""
                - {type: kan, widths: [2, 2, 1], grid: 3, grid_eps: 1.0, seeds: [0, 1]}
                - {type: mlp, widths: [2, 6, 1], activation: tanh}
            """, """
                - {type: kan, widths: [2, 10, 1], grid: 3, grid_eps: 1.0}
                - {type: mlp, widths: [2, 10, 1], activation: tanh}
                - {type: mlp, widths: [2, 100, 100, 100, 1], activation: tanh}
            """));
        var r = _box.Run("reproduce", "fig3.3", "--spec", spec, "--output", _box.OutputDir, "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, Figure33.FigureFile)), Is.EqualTo((1800, 1400)));

        var table = CsvTable.Read(Path.Combine(_box.OutputDir, ComparisonReport.ComparisonCsv));
        double kan = table.Number(table.RowWhere("label", "KAN [2,10,1]"), "l2_squared_mean");
        double mlp = table.Number(table.RowWhere("label", "MLP [2,100,100,100,1] tanh"), "l2_squared_mean");
        string summary = File.ReadAllText(Path.Combine(_box.OutputDir, Figure33.SummaryFile));
        Assert.That(summary, Does.Contain($"| parameters | {30 * (5 + 5)} | 20601 |"), "KAN [2,10,1] at G=5: 30 edges × (G + k + 2)");
        Assert.That(summary, Does.Contain($"at most 1e-7 (the paper's headline): **{(kan <= 1e-7 ? 1 : 0)} of 1** seeds"));
        string ratio = (mlp / kan).ToString("0.#", CultureInfo.InvariantCulture);
        Assert.That(summary, Does.Contain($"{ratio}× (means over seeds), {ratio}× against the worst KAN seed"));
        Assert.That(summary, Does.Contain($"at least 10×: **{(mlp / kan >= 10 ? "yes" : "no")}** (means)"));
    }

    [Test]
    public void PykanPoissonRunsEndToEndAndListsEachGridsEnd()
    {
        string spec = _box.WriteSpec("""
            name: tiny-pykan
            problem:
              family: poisson
              domain:
                x: [-1, 1]
                y: [-1, 1]
              exact: sin(pi*x)*sin(pi*y)
              boundary:
                - on: all
            collocation:
              interior: {sampler: mesh, points: 8}
              boundary: {sampler: mesh, points: 5}
            loss:
              weights: {pde: 0.01}
            schedule:
              - {optimizer: lbfgs, steps: 1, grid: 5}
              - {optimizer: lbfgs, steps: 1, grid: 10}
              - {optimizer: lbfgs, steps: 1, grid: 20}
            evaluation:
              points: 9
            threads: 1
            compare:
              seeds: [0, 1]
              models:
                - {type: kan, widths: [2, 2, 1], grid: 5}
            """);
        var r = _box.Run("reproduce", "pykan-poisson", "--spec", spec, "--output", _box.OutputDir, "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, PykanPoissonTutorial.FigureFile)).Width, Is.EqualTo(1800));
        var steps = CsvTable.Read(Path.Combine(_box.OutputDir, PykanPoissonTutorial.StepsFile));
        Assert.That(steps.Rows, Has.Count.EqualTo(2 * 3));
        string summary = File.ReadAllText(Path.Combine(_box.OutputDir, PykanPoissonTutorial.SummaryFile));
        var seed1 = StepErrorsCsv.Parse(File.ReadAllText(Path.Combine(_box.OutputDir, "runs/kan-2-2-1-seed1", StepErrorsCsv.FileName)));
        // Grid 10's row: step 2, pykan's 1.03e-3, then each seed's error at its last grid-10 step.
        Assert.That(summary, Does.Contain($"| 10 | 2 | 1.03e-03 |"));
        Assert.That(summary, Does.Contain(seed1[1].L2Squared.ToString("0.00e+00", CultureInfo.InvariantCulture) + " |\n| 20 |"));
    }

    [Test]
    public void UnknownExperimentIsBadInput()
    {
        var r = _box.Run("reproduce", "fig9.9", "--output", _box.OutputDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("unknown experiment 'fig9.9' (known: fig3.3, pykan-poisson, anderson, fig2.3)"));
        Assert.That(_box.Folders(), Is.Empty);
    }
}
