using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Spec;
using Kan.Pde.Tests.Runner;
using NUnit.Framework;

namespace Kan.Pde.Tests.Comparison;

/// <summary>
/// The compare spec: where models and seeds come from, default labels and series, how the shared schedule applies
/// to MLPs, and that bad model entries fail like any spec field (file, line, column, field; exit 2; nothing written).
/// </summary>
public class CompareSpecTests
{
    private const string Head = """
        name: cmp
        problem:
          family: poisson
          domain:
            x: [-1, 1]
            y: [-1, 1]
          exact: sin(pi*x)*sin(pi*y)
          boundary:
            - on: all
        collocation:
          interior: {sampler: random, count: 50}
          boundary: {sampler: random, count: 20}
        schedule:
          - {optimizer: lbfgs, steps: 2, grid: 3, grid_update_at: [0]}
          - {optimizer: adam, steps: 2, grid: 6}
        seed: 4

        """;

    private static CompareSpec Parse(string tail, IReadOnlyList<string>? models = null, IReadOnlyList<int>? seeds = null) =>
        SpecLoader.ParseCompare(Head + tail, "c.yaml", models, seeds);

    [Test]
    public void ModelsComeFromTheListWithLabelsSeriesAndSeeds()
    {
        var spec = Parse("""
            compare:
              seeds: [0, 1]
              models:
                - {type: kan, widths: [2, 5, 1], grid: 3}
                - {type: kan, widths: [2, 5, 1], grid: 6, order: 2}
                - {type: mlp, widths: [2, 8, 8, 1], seeds: [7]}
                - {type: mlp, widths: [2, 8, 1], activation: sin, label: small sine net, series: sines}
            """);
        Assert.That(spec.Models.Select(m => m.Label), Is.EqualTo(new[] { "KAN [2,5,1] G=3 k=3", "KAN [2,5,1] G=6 k=2", "MLP [2,8,8,1] tanh", "small sine net" }));
        Assert.That(spec.Models.Select(m => m.Series), Is.EqualTo(new[] { "KAN [2,5,1]", "KAN [2,5,1]", "MLP depth 3 tanh", "sines" }));
        Assert.That(spec.Models.Select(m => m.Slug), Is.EqualTo(new[] { "kan-2-5-1-g-3-k-3", "kan-2-5-1-g-6-k-2", "mlp-2-8-8-1-tanh", "small-sine-net" }));
        Assert.That(spec.Models.Select(m => string.Join(",", m.Seeds)), Is.EqualTo(new[] { "0,1", "0,1", "7", "0,1" }));
        Assert.That(spec.RunCount, Is.EqualTo(7));
        Assert.That(spec.StepPlot, Is.EqualTo(spec.Models.Select(m => m.Label)));
        Assert.That(spec.Shared.Model, Is.SameAs(spec.Models[0].Model));
    }

    [Test]
    public void AMlpRunsTheSharedStagesWithoutTheGridKeys()
    {
        var spec = Parse("compare:\n  models:\n    - {type: kan, widths: [2, 3, 1]}\n    - {type: mlp, widths: [2, 4, 1]}\n");
        var kan = spec.RunSpec(spec.Models[0], 4);
        var mlp = spec.RunSpec(spec.Models[1], 4);
        Assert.That(kan.Schedule.Select(s => s.Grid), Is.EqualTo(new int?[] { 3, 6 }));
        Assert.That(kan.Schedule[0].GridUpdateAt, Is.EqualTo(new[] { 0 }));
        Assert.That(mlp.Schedule.Select(s => s.Grid), Is.EqualTo(new int?[] { null, null }));
        Assert.That(mlp.Schedule.SelectMany(s => s.GridUpdateAt), Is.Empty);
        Assert.That(mlp.Schedule.Select(s => (s.Optimizer, s.Steps, s.LearningRate)), Is.EqualTo(kan.Schedule.Select(s => (s.Optimizer, s.Steps, s.LearningRate))));
        Assert.That(mlp.Model.Type, Is.EqualTo(ModelType.Mlp));
        Assert.That((kan.Name, mlp.Name), Is.EqualTo(("cmp-kan-2-3-1-seed4", "cmp-mlp-2-4-1-tanh-seed4")));
        Assert.That(spec.Models[0].Seeds, Is.EqualTo(new[] { 4 }), "without compare.seeds the spec's seed is used");
    }

    [Test]
    public void OneModelSpecAndCommandLineModels()
    {
        var single = Parse("model: {type: mlp, widths: [2, 4, 1]}\n");
        Assert.That(single.Models.Select(m => m.Label), Is.EqualTo(new[] { "MLP [2,4,1] tanh" }));

        var replaced = Parse("model: {type: mlp, widths: [2, 4, 1]}\n", ["{type: kan, widths: [2, 3, 1], seeds: [1, 2]}", "{type: mlp, widths: [2, 9, 1]}"], seeds: [5]);
        Assert.That(replaced.Models.Select(m => m.Label), Is.EqualTo(new[] { "KAN [2,3,1]", "MLP [2,9,1] tanh" }));
        Assert.That(replaced.Models.SelectMany(m => m.Seeds), Is.EqualTo(new[] { 5, 5 }), "--seeds replaces every model's seeds");
    }

    [Test]
    public void ConfigurationChangesWithTheModelAndTheSharedSectionsOnly()
    {
        var a = Parse("compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1]}\n    - {type: mlp, widths: [2, 5, 1]}\n");
        var b = Parse("compare:\n  seeds: [0, 9]\n  models:\n    - {type: mlp,   widths: [2, 4, 1]}   # same model, other layout\n    - {type: mlp, widths: [2, 6, 1]}\n");
        var c = SpecLoader.ParseCompare((Head + "compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1]}\n").Replace("count: 50", "count: 51"), "c.yaml");
        Assert.That(b.Models[0].Configuration, Is.EqualTo(a.Models[0].Configuration));
        Assert.That(b.Models[1].Configuration, Is.Not.EqualTo(a.Models[1].Configuration));
        Assert.That(c.Models[0].Configuration, Is.Not.EqualTo(a.Models[0].Configuration), "other collocation points");

        // Seeds, label and series of an entry do not change what one run computes: adding a seed keeps finished runs.
        var d = Parse("compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1], seeds: [0, 1, 2], label: small, series: s}\n");
        Assert.That(d.Models[0].Configuration, Is.EqualTo(a.Models[0].Configuration));
    }

    private static readonly object[] BadEntries =
    {
        new object[] { "compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1]}\n    - {type: mlp, widths: [3, 4, 1]}\n", 20, "compare.models[1].widths[0]", "the first width must equal the domain dimension 2" },
        new object[] { "compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1], grid: 5}\n", 19, "compare.models[0].grid", "only for model type kan" },
        new object[] { "compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1], colour: red}\n", 19, "compare.models[0].colour", "unknown field" },
        new object[] { "compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1]}\n    - {type: mlp, widths: [2, 4, 1]}\n", 20, "compare.models[1]", "two models are labelled 'MLP [2,4,1] tanh'" },
        new object[] { "compare:\n  models:\n    - {type: mlp, widths: [2, 4, 1], seeds: [1, 1]}\n", 19, "compare.models[0].seeds[1]", "seed 1 is listed twice" },
        new object[] { "compare:\n  step_plot: [nope]\n  models:\n    - {type: mlp, widths: [2, 4, 1]}\n", 18, "compare.step_plot[0]", "no model is labelled 'nope'" },
        new object[] { "compare:\n  models: []\n", 18, "compare.models", "expected at least one model" },
        new object[] { "compare:\n  sedes: [1]\n", 18, "compare.sedes", "unknown field" },
        new object[] { "model: {type: mlp, widths: [2, 4, 1]}\ncompare:\n  models:\n    - {type: mlp, widths: [2, 4, 1]}\n", 17, "model", "either in 'model' or in 'compare.models'" },
        new object[] { "", 1, "compare.models", "no models to compare" },
        new object[] { "model: {type: kan, widths: [2, 4, 1]}\ninterpret: {min_r2: 0.9}\n", 18, "interpret", "interpret one with 'kan-pde interpret'" },
    };

    [TestCaseSource(nameof(BadEntries))]
    public void BadModelEntriesFailAtTheirLineWithExitCode2(string tail, int line, string field, string fragment)
    {
        using var box = new RunnerSandbox();
        string spec = box.WriteSpec(Head + tail);
        var r = box.Run("compare", spec, "--output", box.OutputDir, "--quiet");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), r.Error);
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.Error, Does.StartWith($"error: {spec}:{line}:"));
            Assert.That(r.Error, Does.Contain($"field '{field}': "));
            Assert.That(r.Error, Does.Contain(fragment));
            Assert.That(box.Folders(), Is.Empty, "nothing is written for bad input");
        });
    }

    [Test]
    public void ABadCommandLineModelIsReportedAtItsColumn()
    {
        using var box = new RunnerSandbox();
        string spec = box.WriteSpec(Head + "model: {type: mlp, widths: [2, 4, 1]}\n");
        var r = box.Run("compare", spec, "--model", "{type: mlp, widths: [2, 4, 2]}", "--output", box.OutputDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.StartWith("error: --model #1:1:28: field 'model.widths[2]': the last width must be 1"));
        Assert.That(box.Folders(), Is.Empty);
    }

    [Test]
    public void TheSolveCommandStillRejectsGridKeysForAnMlpAndACompareSection()
    {
        using var box = new RunnerSandbox();
        string mlp = box.WriteSpec(Head + "model: {type: mlp, widths: [2, 4, 1]}\n");
        var r = box.Run("solve", mlp, "--output", box.OutputDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("field 'schedule[0].grid': not allowed here: only for kan models"));
        string withCompare = box.WriteSpec(Head.Replace("grid: 3, grid_update_at: [0]", "grid: 3").Replace(", grid: 6", "")
                                           + "model: {type: kan, widths: [2, 4, 1]}\ncompare:\n  seeds: [1]\n", "b.yaml");
        r = box.Run("solve", withCompare, "--output", box.OutputDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("unknown field 'compare'"));
    }
}
