using System.Text.Json;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Results;
using Kan.Pde.Tests.Results;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>The interpretation end to end through the command line, on problems small enough for CI.</summary>
public class InterpretCommandTests
{
    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    /// <summary>u'' = f on [-1, 1] with u = sin(πx): a one-edge KAN is trained, snapped to sin and retrained.</summary>
    private const string OneEdge = """
        name: interpret-1d
        problem:
          family: poisson
          domain:
            x: [-1, 1]
          exact: sin(pi*x)
          boundary:
            - on: all
        model:
          type: kan
          widths: [1, 1]
          grid: 5
        collocation:
          interior: {sampler: mesh, points: 32}
          boundary: {sampler: mesh, points: 2}
        schedule:
          - {optimizer: lbfgs, steps: 10}
        interpret:
          regularization: {weight: 1e-4}
          prune: {node_threshold: 0.01}
          snap:
            - {layer: 0, functions: [sin]}
          retrain:
            - {optimizer: lbfgs, steps: 5}
        evaluation:
          points: 101
        seed: 0
        threads: 1
        """;

    [Test]
    public void SolveWithAnInterpretSectionWritesTheFormulaAndThePlots()
    {
        string spec = _box.WriteSpec(OneEdge);
        var r = _box.Run("solve", spec, "--output", _box.OutputDir, "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error + r.Output);
        Assert.That(r.Output, Does.Contain("u(x) = sin(pi*x)"));

        string text = File.ReadAllText(Path.Combine(_box.OutputDir, FormulaFiles.TextFile));
        Assert.That(text, Does.StartWith("u(x) = sin(pi*x)\n"));
        Assert.That(File.ReadAllText(Path.Combine(_box.OutputDir, FormulaFiles.LatexFile)), Does.Contain(@"u(x) = \sin\left(\pi x\right)"));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_box.OutputDir, FormulaFiles.JsonFile)));
        var root = json.RootElement;
        Assert.That(root.GetProperty("formula").GetString(), Is.EqualTo("sin(pi*x)"));
        Assert.That(root.GetProperty("formulaRelativeL2").GetDouble(), Is.LessThan(1e-12));
        Assert.That(root.GetProperty("fullFormulaRelativeL2").GetDouble(), Is.LessThan(1e-8));
        Assert.That(root.GetProperty("retrainedRelativeL2").GetDouble(), Is.LessThan(1e-8));
        var snap = root.GetProperty("snaps")[0];
        Assert.That(snap.GetProperty("function").GetString(), Is.EqualTo("sin"));
        Assert.That(snap.GetProperty("fixed").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("prunedEdges").GetArrayLength(), Is.EqualTo(0));

        // Training and retraining share one history; the sparsity term is a column while it is active.
        var history = File.ReadAllLines(Path.Combine(_box.OutputDir, ResultsWriter.HistoryFile));
        Assert.That(history[0], Does.Contain("regularization"));
        Assert.That(history, Has.Length.EqualTo(1 + 10 + 5));

        Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, InterpretCommand.KanPlotFile)), Is.EqualTo(KanPlot.ImageSize(new[] { 1, 1 })));
        Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, InterpretCommand.SymbolicPlotFile)), Is.EqualTo(KanPlot.ImageSize(new[] { 1, 1 })));
        Assert.That(File.Exists(Path.Combine(_box.OutputDir, ResultsWriter.MetricsFile)));
    }

    [Test]
    public void InterpretNeedsASpecFile()
    {
        var r = _box.Run("interpret");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("interpret needs a spec file"));
    }

    [Test]
    public void InterpretRefusesAnMlpAndWritesNothing()
    {
        string mlp = OneEdge.Replace("  type: kan\n  widths: [1, 1]\n  grid: 5", "  type: mlp\n  widths: [1, 4, 1]")
            .Replace("interpret:\n", "unused:\n");
        mlp = mlp[..mlp.IndexOf("unused:", StringComparison.Ordinal)] + "evaluation:\n  points: 11\n";
        string spec = _box.WriteSpec(mlp);
        var r = _box.Run("interpret", spec, "--output", _box.OutputDir, "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), r.Error + r.Output);
        Assert.That(r.Error, Does.Contain("field 'model.type': interpretation needs a kan model"));
        Assert.That(Directory.Exists(_box.OutputDir), Is.False);
    }
}
