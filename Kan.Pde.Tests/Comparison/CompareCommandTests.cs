using System.Text.Json;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Comparison;
using Kan.Pde.Runner.Results;
using Kan.Pde.Tests.Results;
using Kan.Pde.Tests.Runner;
using NUnit.Framework;

namespace Kan.Pde.Tests.Comparison;

/// <summary>
/// <c>compare</c> end to end on a tiny problem (two models, four steps, a few seconds): the files it writes, and that
/// every number in its tables is the one in the individual runs' metrics.json and step_errors.csv.
/// </summary>
public class CompareCommandTests
{
    /// <summary>Δu = f on [-1, 1]², u = sin πx sin πy²; KAN [2,2,1] (two seeds) against MLP [2,6,1] tanh.</summary>
    internal const string TinySpec = """
        name: tiny-compare
        problem:
          family: poisson
          domain:
            x: [-1, 1]
            y: [-1, 1]
          exact: sin(pi*x)*sin(pi*y^2)
          boundary:
            - on: all
        collocation:
          interior: {sampler: random, count: 60}
          boundary: {sampler: random, count: 24}
        loss:
          weights: {pde: 0.01}
        schedule:
          - {optimizer: lbfgs, steps: 2, grid: 3, grid_update_at: [0], max_iterations: 5}
          - {optimizer: lbfgs, steps: 2, grid: 5, max_iterations: 5}
        evaluation:
          points: 11
        threads: 1
        compare:
          seeds: [0]
          models:
            - {type: kan, widths: [2, 2, 1], grid: 3, grid_eps: 1.0, seeds: [0, 1]}
            - {type: mlp, widths: [2, 6, 1], activation: tanh}
        """;

    // One comparison, run once, serves the tests that only read its output; the others make their own next to it.
    private RunnerSandbox _box = null!;
    private RunResult _first = null!;

    [OneTimeSetUp]
    public void RunOnce()
    {
        _box = new RunnerSandbox();
        _first = Compare(_box.OutputDir);
    }

    [OneTimeTearDown]
    public void TearDown() => _box.Dispose();

    private RunResult Compare(string output, string? yaml = null, params string[] extra)
    {
        string spec = _box.WriteSpec(yaml ?? TinySpec, $"spec-{Guid.NewGuid():N}.yaml");
        var r = _box.Run(["compare", spec, "--output", output, "--quiet", .. extra]);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error + r.Output);
        return r;
    }

    private string Fresh() => Path.Combine(_box.Root, "out", Guid.NewGuid().ToString("N"));

    private RunMetrics Metrics(string folder) =>
        JsonSerializer.Deserialize<RunMetrics>(File.ReadAllText(Path.Combine(_box.OutputDir, folder, ResultsWriter.MetricsFile)), MetricsJson.Options)!;

    [Test]
    public void WritesTablesPlotsAndOneFolderPerRun()
    {
        foreach (var file in new[] { ComparisonReport.ComparisonCsv, ComparisonReport.ComparisonMarkdown, ComparisonReport.RunsCsv,
                     ComparisonReport.StepsCsv, ComparisonReport.ScalingCsv, ComparisonReport.SlopesCsv })
            Assert.That(File.Exists(Path.Combine(_box.OutputDir, file)), Is.True, file);
        foreach (var png in new[] { ComparisonReport.StepPlot, ComparisonReport.ScalingPlot })
            Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, png)).Width, Is.GreaterThan(0));
        var runs = Directory.GetDirectories(Path.Combine(_box.OutputDir, RunFolder.RunsFolder)).Select(Path.GetFileName).Order().ToArray();
        Assert.That(runs, Is.EqualTo(new[] { "kan-2-2-1-seed0", "kan-2-2-1-seed1", "mlp-2-6-1-tanh-seed0" }));
        foreach (var run in runs)
            foreach (var file in new[] { ResultsWriter.MetricsFile, ResultsWriter.HistoryFile, StepErrorsCsv.FileName, RunFolder.InfoFile })
                Assert.That(File.Exists(Path.Combine(_box.OutputDir, "runs", run!, file)), Is.True, $"{run}/{file}");
        Assert.That(Directory.GetFileSystemEntries(_box.OutputDir, "*partial*", SearchOption.AllDirectories), Is.Empty);
        Assert.That(_first.Output, Does.Contain("[3/3] MLP [2,6,1] tanh, seed 0: training"));
        string markdown = File.ReadAllText(Path.Combine(_box.OutputDir, ComparisonReport.ComparisonMarkdown));
        Assert.That(markdown, Does.Contain("| KAN [2,2,1] | 60 | 2 | 4 |"));
        Assert.That(markdown, Does.Contain("| MLP [2,6,1] tanh | 25 | 1 | 4 |"));
    }

    [Test]
    public void TableNumbersAreThoseOfTheRunsMetrics()
    {
        var table = CsvTable.Read(Path.Combine(_box.OutputDir, ComparisonReport.ComparisonCsv));
        var perRun = CsvTable.Read(Path.Combine(_box.OutputDir, ComparisonReport.RunsCsv));
        var kan0 = Metrics("runs/kan-2-2-1-seed0");
        var kan1 = Metrics("runs/kan-2-2-1-seed1");
        var mlp = Metrics("runs/mlp-2-6-1-tanh-seed0");

        int k = table.RowWhere("label", "KAN [2,2,1]"), m = table.RowWhere("label", "MLP [2,6,1] tanh");
        Assert.Multiple(() =>
        {
            // One seed: the table's mean is the run's number itself, bit for bit.
            Assert.That(table.Number(m, "l2_squared_mean"), Is.EqualTo(mlp.L2SquaredError));
            Assert.That(table.Number(m, "h1_squared_mean"), Is.EqualTo(mlp.H1SquaredError));
            Assert.That(table.Number(m, "relative_l2_mean"), Is.EqualTo(mlp.RelativeL2));
            Assert.That(table.Number(m, "final_total_loss_mean"), Is.EqualTo(mlp.FinalTotalLoss));
            Assert.That(table.Number(m, "loss_pde_mean"), Is.EqualTo(mlp.FinalLosses["pde"]));
            Assert.That(table.Number(m, "training_seconds_mean"), Is.EqualTo(mlp.TrainingSeconds));
            Assert.That(table.Number(m, "l2_squared_std"), Is.EqualTo(0));
            Assert.That(table.Cell(m, "parameters"), Is.EqualTo(mlp.Parameters.ToString()));
            Assert.That(mlp.Parameters, Is.EqualTo(3 * 6 + 7 * 1), "MLP [2,6,1]: (2+1)·6 + (6+1)·1");
            // Two seeds: mean, spread and extremes of the two runs' numbers.
            Assert.That(table.Number(k, "l2_squared_mean"), Is.EqualTo((kan0.L2SquaredError + kan1.L2SquaredError) / 2));
            Assert.That(table.Number(k, "l2_squared_min"), Is.EqualTo(Math.Min(kan0.L2SquaredError, kan1.L2SquaredError)));
            Assert.That(table.Number(k, "h1_squared_max"), Is.EqualTo(Math.Max(kan0.H1SquaredError, kan1.H1SquaredError)));
            Assert.That(table.Number(k, "l2_squared_std"), Is.EqualTo(Math.Abs(kan0.L2SquaredError - kan1.L2SquaredError) / Math.Sqrt(2)).Within(1e-15));
            Assert.That(kan0.Parameters, Is.EqualTo((2 * 2 + 2 * 1) * (5 + 3 + 2)), "KAN [2,2,1] at G=5, k=3: 6 edges × (G + k + 2)");
            Assert.That(kan0.L2SquaredError, Is.Not.EqualTo(kan1.L2SquaredError), "different seeds train different networks");
            // runs.csv repeats each run's metrics.
            int r1 = perRun.RowWhere("folder", "runs/kan-2-2-1-seed1");
            Assert.That(perRun.Number(r1, "l2_squared"), Is.EqualTo(kan1.L2SquaredError));
            Assert.That(perRun.Number(r1, "max_abs_error"), Is.EqualTo(kan1.MaxAbsError));
        });
    }

    [Test]
    public void StepErrorsEndAtTheFinalMetricsAndGiveOneScalingPointPerGrid()
    {
        var kan = Metrics("runs/kan-2-2-1-seed0");
        var steps = StepErrorsCsv.Parse(File.ReadAllText(Path.Combine(_box.OutputDir, "runs/kan-2-2-1-seed0", StepErrorsCsv.FileName)));
        Assert.That(steps.Select(s => s.Grid), Is.EqualTo(new[] { 3, 3, 5, 5 }));
        Assert.That(steps[^1].L2Squared, Is.EqualTo(kan.L2SquaredError), "the last step's error is the final metric");
        Assert.That(steps[^1].H1Squared, Is.EqualTo(kan.H1SquaredError));

        var mlpHistory = File.ReadAllLines(Path.Combine(_box.OutputDir, "runs/mlp-2-6-1-tanh-seed0", ResultsWriter.HistoryFile));
        Assert.That(mlpHistory.Skip(1).Select(l => l.Split(',')[2]), Is.All.EqualTo("0"), "an MLP ignores the schedule's grid keys");
        Assert.That(mlpHistory.Skip(1).Select(l => l.Split(',')[1]), Is.EqualTo(new[] { "0", "0", "1", "1" }), "but runs the same stages");

        // KAN points: the end of each grid stage, geometric mean over the two seeds.
        var kan1Steps = StepErrorsCsv.Parse(File.ReadAllText(Path.Combine(_box.OutputDir, "runs/kan-2-2-1-seed1", StepErrorsCsv.FileName)));
        var scaling = CsvTable.Read(Path.Combine(_box.OutputDir, ComparisonReport.ScalingCsv));
        var kanRows = Enumerable.Range(0, scaling.Rows.Count).Where(r => scaling.Cell(r, "label") == "KAN [2,2,1]").ToArray();
        Assert.That(kanRows.Select(r => scaling.Cell(r, "parameters")), Is.EqualTo(new[] { "48", "60" }));
        double e3 = Math.Sqrt(steps[1].L2Squared * kan1Steps[1].L2Squared), e5 = Math.Sqrt(steps[3].L2Squared * kan1Steps[3].L2Squared);
        Assert.That(scaling.Number(kanRows[0], "l2_squared"), Is.EqualTo(e3).Within(1e-12).Percent);
        Assert.That(scaling.Number(kanRows[1], "l2_squared"), Is.EqualTo(e5).Within(1e-12).Percent);

        var slopes = CsvTable.Read(Path.Combine(_box.OutputDir, ComparisonReport.SlopesCsv));
        int row = Enumerable.Range(0, slopes.Rows.Count).Single(r => slopes.Cell(r, "series") == "KAN [2,2,1]" && slopes.Cell(r, "metric") == "l2_squared");
        Assert.That(slopes.Number(row, "slope"), Is.EqualTo(Math.Log(e5 / e3) / Math.Log(60.0 / 48.0)).Within(1e-9));
        Assert.That(Enumerable.Range(0, slopes.Rows.Count).Any(r => slopes.Cell(r, "series").StartsWith("MLP")), Is.False,
            "one MLP width gives no slope");
    }

    [Test]
    public void ReferenceSetErrorsAreAveragedOverSeedsAndTabulated()
    {
        // Exact values of the tiny problem's solution at five points, as a reference set.
        var points = new[] { (-0.5, 0.3), (0.1, -0.7), (0.25, 0.25), (0.8, 0.9), (-0.9, -0.2) };
        File.WriteAllLines(Path.Combine(_box.Root, "samples.csv"), new[] { "# u = sin(pi x) sin(pi y^2)", "x,y,u" }
            .Concat(points.Select(p => FormattableString.Invariant($"{p.Item1},{p.Item2},{Math.Sin(Math.PI * p.Item1) * Math.Sin(Math.PI * p.Item2 * p.Item2):R}"))));
        string dir = Fresh();
        Compare(dir, TinySpec.Replace("points: 11", "points: 11\n  reference:\n    - {name: samples, file: samples.csv}"));

        RunMetrics Read(string run) => JsonSerializer.Deserialize<RunMetrics>(
            File.ReadAllText(Path.Combine(dir, "runs", run, ResultsWriter.MetricsFile)), MetricsJson.Options)!;
        var kan0 = Read("kan-2-2-1-seed0").Reference.Single();
        var kan1 = Read("kan-2-2-1-seed1").Reference.Single();
        var mlp = Read("mlp-2-6-1-tanh-seed0").Reference.Single();
        var table = CsvTable.Read(Path.Combine(dir, ComparisonReport.ComparisonCsv));
        var perRun = CsvTable.Read(Path.Combine(dir, ComparisonReport.RunsCsv));
        int k = table.RowWhere("label", "KAN [2,2,1]"), m = table.RowWhere("label", "MLP [2,6,1] tanh");
        string markdown = File.ReadAllText(Path.Combine(dir, ComparisonReport.ComparisonMarkdown));
        Assert.Multiple(() =>
        {
            Assert.That(kan0.Set, Is.EqualTo("samples"));
            Assert.That(kan0.Points, Is.EqualTo(points.Length));
            Assert.That(kan0.MaxAbsError, Is.Not.EqualTo(kan1.MaxAbsError), "different seeds train different networks");
            Assert.That(table.Number(k, "reference_max_abs_samples_mean"), Is.EqualTo((kan0.MaxAbsError + kan1.MaxAbsError) / 2));
            Assert.That(table.Number(k, "reference_rms_samples_max"), Is.EqualTo(Math.Max(kan0.RmsError, kan1.RmsError)));
            Assert.That(table.Number(m, "reference_rms_samples_mean"), Is.EqualTo(mlp.RmsError));
            Assert.That(perRun.Number(perRun.RowWhere("folder", "runs/kan-2-2-1-seed1"), "reference_max_abs_samples"), Is.EqualTo(kan1.MaxAbsError));
            Assert.That(markdown, Does.Contain("## Errors against reference data"));
            Assert.That(markdown, Does.Contain(FormattableString.Invariant($"| MLP [2,6,1] tanh | {mlp.MaxAbsError:0.0000} | {mlp.RmsError:0.0000} |")));
        });
        Assert.That(File.ReadAllText(Path.Combine(_box.OutputDir, ComparisonReport.ComparisonMarkdown)), Does.Not.Contain("reference data"),
            "a comparison without reference sets has no such section");
    }

    [Test]
    public void RerunWithTheSameSeedsGivesTheSameNumbersAndResumeReusesFinishedRuns()
    {
        string second = Fresh();
        var r = Compare(second);
        Assert.That(TableWithoutSeconds(second), Is.EqualTo(TableWithoutSeconds(_box.OutputDir)), "same seeds, same numbers on CPU");
        Assert.That(r.Output, Does.Not.Contain("reused"));

        string exact = File.ReadAllText(Path.Combine(second, ComparisonReport.ComparisonCsv));
        var resumed = Compare(second, null, "--resume");
        Assert.That(resumed.Output.Split('\n').Count(l => l.Contains(": reused runs/")), Is.EqualTo(3));
        Assert.That(File.ReadAllText(Path.Combine(second, ComparisonReport.ComparisonCsv)), Is.EqualTo(exact),
            "a resumed comparison reports the stored runs' numbers, seconds included");
    }

    [Test]
    public void ResumeRetrainsARunWhoseModelChanged()
    {
        string dir = Fresh();
        CopyFolder(Path.Combine(_box.OutputDir, RunFolder.RunsFolder), Path.Combine(dir, RunFolder.RunsFolder));
        var r = Compare(dir, TinySpec.Replace("{type: mlp, widths: [2, 6, 1], activation: tanh}", "{type: mlp, widths: [2, 6, 1], activation: sin}"), "--resume");
        Assert.That(r.Output, Does.Contain("KAN [2,2,1], seed 1: reused"));
        Assert.That(r.Output, Does.Contain("MLP [2,6,1] sin, seed 0: training"));
    }

    [Test]
    public void CommandLineModelsAndSeedsReplaceTheSpecs()
    {
        string dir = Fresh();
        Compare(dir, null, "--model", "{type: mlp, widths: [2, 4, 1], activation: sin}", "--model", "{type: mlp, widths: [2, 4, 4, 1]}", "--seeds", "3");
        var table = CsvTable.Read(Path.Combine(dir, ComparisonReport.ComparisonCsv));
        Assert.That(Enumerable.Range(0, table.Rows.Count).Select(r => table.Cell(r, "label")), Is.EqualTo(new[] { "MLP [2,4,1] sin", "MLP [2,4,4,1] tanh" }));
        Assert.That(Directory.GetDirectories(Path.Combine(dir, "runs")).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "mlp-2-4-1-sin-seed3", "mlp-2-4-4-1-tanh-seed3" }));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, Path.GetRelativePath(from, file)))!);
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static string TableWithoutSeconds(string dir)
    {
        var lines = File.ReadAllLines(Path.Combine(dir, ComparisonReport.ComparisonCsv));
        var header = lines[0].Split(',');
        var keep = header.Select((h, i) => (h, i)).Where(x => !x.h.Contains("seconds")).Select(x => x.i).ToHashSet();
        return string.Join("\n", lines.Select(l => string.Join(",", SplitKeepingQuotes(l).Where((_, i) => keep.Contains(i)))));
    }

    private static IEnumerable<string> SplitKeepingQuotes(string line)
    {
        var cells = new List<string>();
        int start = 0;
        bool quoted = false;
        for (int i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || (line[i] == ',' && !quoted)) { cells.Add(line[start..i]); start = i + 1; }
            else if (line[i] == '"') quoted = !quoted;
        }
        return cells;
    }
}
