using System.Text.Json;
using Kan.Pde.Problems;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Console;
using Kan.Pde.Core.Training;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// Command-line conventions: help for every command, the list command, the JSON-lines log, and progress that is a
/// bar on a terminal and plain lines otherwise.
/// </summary>
public class CliConventionsTests
{
    /// <summary>A tiny 1-D spec: 3 L-BFGS steps on G = 3, then 2 on G = 6 (a grid change), in well under a second.</summary>
    internal const string TinySpec = """
        name: tiny
        problem:
          family: poisson
          domain: {x: [-1, 1]}
          exact: sin(pi*x)
          boundary:
            - on: all
        model: {type: kan, widths: [1, 2, 1], grid: 3}
        collocation:
          interior: {sampler: mesh, points: 16}
          boundary: {sampler: mesh, points: 2}
        schedule:
          - {optimizer: lbfgs, steps: 3}
          - {optimizer: lbfgs, steps: 2, grid: 6}
        evaluation: {points: 21}
        threads: 1
        """;

    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    [TestCase("solve")]
    [TestCase("bench")]
    [TestCase("list")]
    [TestCase("interpret")]
    [TestCase("compare")]
    [TestCase("reproduce")]
    public void EveryCommandHasHelp(string command)
    {
        foreach (var args in new[] { new[] { command, "--help" }, new[] { command, "-h" }, new[] { "help", command } })
        {
            var r = _box.Run(args);
            Assert.Multiple(() =>
            {
                Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), string.Join(" ", args));
                Assert.That(r.Output, Does.Contain($"usage: kan-pde {command}"), string.Join(" ", args));
                Assert.That(r.Error, Is.Empty);
            });
        }
        Assert.That(_box.Folders(), Is.Empty, "help writes nothing");
    }

    [Test]
    public void ListShowsEveryFamilyAndEveryBundledSpec()
    {
        string? folder = ListCommand.FindSpecFolder();
        Assert.That(folder, Is.Not.Null, "problems-yaml/ is found from the test's working directory or the program's folder");
        var r = _box.Run("list");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        foreach (var family in ProblemFamilies.All)
            Assert.That(r.Output, Does.Contain(family.Name).And.Contain(family.Summary));
        var files = Directory.GetFiles(folder!, "*.yaml");
        Assert.That(files, Is.Not.Empty);
        foreach (var file in files)
        {
            // One line per spec: file, run name, family and the model (for a compare spec, its models).
            var line = r.Output.Split('\n').Single(l => l.TrimStart().StartsWith(Path.GetFileName(file) + " "));
            if (Kan.Pde.Runner.Spec.SpecLoader.IsCompareSpec(file))
            {
                var compare = Kan.Pde.Runner.Spec.SpecLoader.LoadCompare(file);
                Assert.That(line, Does.Contain(compare.Name).And.Contain(compare.Shared.Problem.Family).And.Contain(ListCommand.Describe(compare)));
                continue;
            }
            var spec = Kan.Pde.Runner.Spec.SpecLoader.Load(file);
            Assert.That(line, Does.Contain(spec.Name).And.Contain(spec.Problem.Family).And.Contain(ListCommand.Describe(spec.Model)));
        }
    }

    [Test]
    public void ListJsonIsOneDocumentAndReportsSpecsThatDoNotLoad()
    {
        _box.WriteSpec(TinySpec, "good.yaml");
        _box.WriteSpec("name: broken\n", "broken.yaml");
        var r = _box.Run("list", "--specs", _box.Root, "--json");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        using var doc = JsonDocument.Parse(r.Output);
        var families = doc.RootElement.GetProperty("families").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToArray();
        Assert.That(families, Is.EqualTo(ProblemFamilies.All.Select(f => f.Name).ToArray()));
        var specs = doc.RootElement.GetProperty("specs").EnumerateArray().ToArray();
        Assert.That(specs.Select(s => s.GetProperty("file").GetString()), Is.EqualTo(new[] { "broken.yaml", "good.yaml" }));
        Assert.That(specs[0].GetProperty("error").GetString(), Does.Contain("broken.yaml:").And.Contain("required field is missing"));
        Assert.That(specs[1].GetProperty("name").GetString(), Is.EqualTo("tiny"));
        Assert.That(specs[1].GetProperty("model").GetString(), Is.EqualTo("KAN [1,2,1] G=3 k=3"));
    }

    [Test]
    public void ListOfAMissingFolderIsBadInput()
    {
        var r = _box.Run("list", "--specs", Path.Combine(_box.Root, "nope"));
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
    }

    [Test]
    public void JsonLogHasOneObjectPerStepAndEvent()
    {
        string log = Path.Combine(_box.Root, "log.jsonl");
        var r = _box.Run("solve", _box.WriteSpec(TinySpec), "--output", _box.OutputDir, "--quiet", "--log-json", log);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        var events = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var kinds = events.Select(e => e.GetProperty("event").GetString()).ToArray();
        Assert.That(kinds, Is.EqualTo(new[] { "start", "step", "step", "step", "grid_change", "step", "step", "end" }));
        var steps = events.Where(e => e.GetProperty("event").GetString() == "step").ToArray();
        Assert.That(steps.Select(s => s.GetProperty("step").GetInt32()), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(steps.Select(s => s.GetProperty("grid").GetInt32()), Is.EqualTo(new[] { 3, 3, 3, 6, 6 }));
        // The logged numbers are the history's numbers, bit for bit.
        var history = File.ReadAllLines(Path.Combine(_box.OutputDir, "history.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        for (int i = 0; i < steps.Length; i++)
        {
            Assert.That(steps[i].GetProperty("loss").GetDouble(), Is.EqualTo(double.Parse(history[i][3], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(steps[i].GetProperty("terms").GetProperty("pde").GetDouble(), Is.GreaterThan(0));
        }
        var grid = events[4];
        Assert.That((grid.GetProperty("from").GetInt32(), grid.GetProperty("to").GetInt32(), grid.GetProperty("step").GetInt32()), Is.EqualTo((3, 6, 3)));
        var end = events[^1];
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_box.OutputDir, "metrics.json"))).RootElement;
        Assert.That(end.GetProperty("relative_l2").GetDouble(), Is.EqualTo(metrics.GetProperty("relativeL2").GetDouble()));
        Assert.That(end.GetProperty("results").GetString(), Is.EqualTo(Path.GetFullPath(_box.OutputDir)));
    }

    [Test]
    public void JsonLogRecordsABadSpecAsAnErrorEvent()
    {
        string log = Path.Combine(_box.Root, "log.jsonl");
        string spec = _box.WriteSpec(TinySpec.Replace("grid: 3}", "grid: -3}"));
        var r = _box.Run("solve", spec, "--output", _box.OutputDir, "--log-json", log);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        var events = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.That(events, Has.Length.EqualTo(1));
        Assert.That(events[0].GetProperty("event").GetString(), Is.EqualTo("error"));
        Assert.That(events[0].GetProperty("exit_code").GetInt32(), Is.EqualTo(ExitCodes.BadInput));
        Assert.That(events[0].GetProperty("message").GetString(), Does.Contain("model.grid"));
        Assert.That(Directory.Exists(_box.OutputDir), Is.False);
    }

    [Test]
    public void JsonLogInAMissingFolderIsBadInput()
    {
        var r = _box.Run("solve", _box.WriteSpec(TinySpec), "--output", _box.OutputDir, "--log-json", Path.Combine(_box.Root, "no", "such", "log.jsonl"));
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("--log-json"));
        Assert.That(_box.Folders(), Is.Empty);
    }

    private static StepRecord Step(int step, int stage, double seconds) =>
        new(step, stage, 5, 1.0 / (step + 1), new Dictionary<string, double> { ["pde"] = 0.5, ["boundary"] = 0.25 }, 0.1, seconds, step * 10);

    [Test]
    public void RedirectedProgressIsPlainLinesAtStageEnds()
    {
        var text = new StringWriter();
        // An interval longer than the test: only the first step, stage ends and the last step print.
        var display = new ProgressDisplay(6, quiet: false, text, interactive: false, plainIntervalSeconds: 3600);
        foreach (var (step, stage) in new[] { (0, 0), (1, 0), (2, 0), (3, 1), (4, 1), (5, 1) }) display.Report(Step(step, stage, step + 1.0));
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(text.ToString(), Does.Not.Contain("\r").And.Not.Contain("[#"));
        Assert.That(lines.Select(l => l.Split('|')[0].Trim()), Is.EqualTo(new[] { "step     1/6 G=5", "step     4/6 G=5", "step     6/6 G=5" }));
        Assert.That(lines[1], Does.Contain("loss 2.500E-001").And.Contain("pde 5.00E-001").And.Contain("rel L2 1.00E-001").And.Contain("eta 2s"));
    }

    [Test]
    public void TerminalProgressIsOneBarRewrittenInPlace()
    {
        var text = new StringWriter();
        var display = new ProgressDisplay(4, quiet: false, text, interactive: true, maxWidth: 60);
        for (int step = 0; step < 2; step++) display.Report(Step(step, 0, step + 1.0));
        display.Note("a message");
        for (int step = 2; step < 4; step++) display.Report(Step(step, 0, step + 1.0));
        string s = text.ToString();
        var rewrites = s.Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rewrites, Has.Length.EqualTo(4));
        Assert.That(rewrites[0], Does.StartWith("[#####---------------]  25% step     1/4"));
        Assert.That(rewrites[^1], Does.StartWith("[####################] 100% step     4/4"));
        Assert.That(rewrites.Select(l => l.TrimEnd('\n').Replace("\na message", "").Length), Has.All.LessThan(60), "no line wider than the terminal");
        Assert.That(s, Does.Contain("\na message\n"), "a note starts on a fresh line");
        Assert.That(s, Does.EndWith("\n"));
    }

    [Test]
    public void QuietShowsNoProgress()
    {
        var text = new StringWriter();
        var display = new ProgressDisplay(2, quiet: true, text, interactive: true);
        display.Report(Step(0, 0, 1));
        display.Note("x");
        display.Report(Step(1, 0, 2));
        Assert.That(text.ToString(), Is.Empty);
    }
}
