using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kan.Pde.Runner.Checkpoints;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Results;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// Checkpoints end to end: a real <c>dotnet kan-pde.dll solve</c> child process killed with SIGKILL mid-training, then
/// stopped with SIGTERM after resuming, then resumed to the end, gives the uninterrupted run's history and metrics bit for
/// bit; a damaged newest checkpoint falls back to an older one; a checkpoint of another spec is refused; divergence
/// stops with the last good checkpoint named, or rolls back and finishes.
/// </summary>
public class CheckpointResumeTests
{
    /// <summary>1-D Poisson; L-BFGS with grid updates, a grid extension into Adam, then L-BFGS with a short memory; a checkpoint every 2 steps.</summary>
    private const string Spec = """
        name: resume
        problem:
          family: poisson
          domain: {x: [-1, 1]}
          exact: sin(pi*x)
          boundary:
            - on: all
        model: {type: kan, widths: [1, 3, 1], grid: 4}
        collocation:
          interior: {sampler: random, count: 40}
          boundary: {sampler: mesh, points: 2}
        schedule:
          - {optimizer: lbfgs, steps: 16, grid_update_at: [0, 5]}
          - {optimizer: adam, steps: 12, grid: 8, learning_rate: 0.003}
          - {optimizer: lbfgs, steps: 16, history: 5}
        restarts: {candidates: 2, steps: 2}
        evaluation: {points: 41}
        checkpoint: {every_steps: 2, keep: 2}
        threads: 1
        """;

    /// <summary>The same with 6 + 4 + 6 steps, for the tests that need no child process.</summary>
    private static readonly string Short = Spec.Replace("steps: 16, grid_update_at", "steps: 6, grid_update_at")
        .Replace("steps: 12, grid: 8", "steps: 4, grid: 8").Replace("steps: 16, history", "steps: 6, history");

    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    private string Out(string name) => Path.Combine(_box.Root, name);

    private static string Checkpoints(string output) => Path.Combine(output, "checkpoints");

    /// <summary>Runs solve in-process and returns the output folder.</summary>
    private string SolveInProcess(string spec, string output, params string[] extra)
    {
        var r = _box.Run(new[] { "solve", spec, "--output", output, "--quiet" }.Concat(extra).ToArray());
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error + r.Output);
        return output;
    }

    /// <summary>History without the wall-clock column, and the metrics that must agree.</summary>
    private static (string History, double RelativeL2, long Evaluations) Outcome(string output)
    {
        var lines = File.ReadAllLines(Path.Combine(output, ResultsWriter.HistoryFile));
        int seconds = Array.IndexOf(lines[0].Split(','), "seconds");
        string history = string.Join("\n", lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != seconds))));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, ResultsWriter.MetricsFile)));
        return (history, metrics.RootElement.GetProperty("relativeL2").GetDouble(), metrics.RootElement.GetProperty("lossEvaluations").GetInt64());
    }

    /// <summary>Starts <c>dotnet kan-pde.dll solve SPEC --output OUT --quiet [--resume]</c> as a child process.</summary>
    private static Process StartChild(string spec, string output, bool resume)
    {
        string dll = typeof(Kan.Pde.Runner.Program).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
            : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "solve", spec, "--output", output, "--quiet" }.Concat(resume ? new[] { "--resume" } : Array.Empty<string>()))
            info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + dotnet);
    }

    /// <summary>Waits until the child has written a checkpoint for step ≥ <paramref name="step"/>; returns that step.</summary>
    private static int WaitForCheckpoint(Process child, string folder, int step)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            var files = new CheckpointFolder(folder, 1).Files();
            if (files.Count > 0 && files[0].Step >= step) return files[0].Step;
            if (child.HasExited) Assert.Fail($"the child ended (exit {child.ExitCode}) before step {step}: {child.StandardError.ReadToEnd()}");
            Thread.Sleep(10);
        }
        child.Kill(entireProcessTree: true);
        Assert.Fail("no checkpoint within 3 minutes");
        return -1;
    }

    [Test]
    public void KilledThenInterruptedThenResumedEndsBitIdentically()
    {
        string spec = _box.WriteSpec(Spec);
        var uninterrupted = Outcome(SolveInProcess(spec, Out("full")));

        // 1. SIGKILL mid-training: nothing can run after it, so only what was on disk counts.
        string output = Out("killed");
        using (var child = StartChild(spec, output, resume: false))
        {
            int seen = WaitForCheckpoint(child, Checkpoints(output), 6);
            child.Kill(entireProcessTree: true);                 // SIGKILL on Linux
            child.WaitForExit();
            TestContext.Out.WriteLine($"killed after the checkpoint before step {seen}; exit {child.ExitCode}");
            Assert.That(child.ExitCode, Is.Not.EqualTo(0));
        }
        Assert.That(File.Exists(Path.Combine(output, ResultsWriter.MetricsFile)), Is.False, "the killed run did not finish");
        // A kill while the next checkpoint is being written leaves its hidden temporary file behind; it must never be
        // listed as a checkpoint, and the next save removes it (checked after step 2).
        var listed = new CheckpointFolder(Checkpoints(output), 1).Files();
        Assert.That(listed.Select(f => Path.GetFileName(f.File)), Has.None.StartsWith("."), "temporary files are not checkpoints");
        int killedAt = listed[0].Step;

        // 2. Resume in a second process and stop it with SIGTERM: it writes a checkpoint and exits with 130.
        using (var child = StartChild(spec, output, resume: true))
        {
            int seen = WaitForCheckpoint(child, Checkpoints(output), killedAt + 4);
            using (var kill = Process.Start("kill", new[] { "-TERM", child.Id.ToString(CultureInfo.InvariantCulture) })) kill.WaitForExit();
            Assert.That(child.WaitForExit(120_000), Is.True);
            string error = child.StandardError.ReadToEnd();
            TestContext.Out.WriteLine($"resumed from {killedAt}, terminated after {seen}: exit {child.ExitCode}; {error.Trim()}");
            Assert.That(child.ExitCode, Is.EqualTo(ExitCodes.Interrupted), error);
            Assert.That(error, Does.Contain("checkpoint written to").And.Contain("--resume"));
        }
        Assert.That(File.Exists(Path.Combine(output, ResultsWriter.MetricsFile)), Is.False);
        Assert.That(Directory.GetFiles(Checkpoints(output), ".*"), Is.Empty, "temporary files of the killed writer were removed");

        // 3. Resume to the end in-process.
        var resumed = Outcome(SolveInProcess(spec, output, "--resume"));
        Assert.Multiple(() =>
        {
            Assert.That(resumed.History, Is.EqualTo(uninterrupted.History), "every step's losses and errors, bit for bit");
            Assert.That(resumed.RelativeL2, Is.EqualTo(uninterrupted.RelativeL2));
            Assert.That(resumed.Evaluations, Is.EqualTo(uninterrupted.Evaluations), "multi-start trials included");
            Assert.That(Directory.Exists(Checkpoints(output)), Is.False, "the finished results replace the folder and its checkpoints");
        });
        TestContext.Out.WriteLine($"relative L2: uninterrupted {uninterrupted.RelativeL2:R}, resumed {resumed.RelativeL2:R}");
    }

    [Test]
    public void ADamagedNewestCheckpointFallsBackToAnOlderOne()
    {
        string spec = _box.WriteSpec(Short.Replace("keep: 2", "keep: 3"));
        var uninterrupted = Outcome(SolveInProcess(spec, Out("full")));
        // Keep the checkpoints of a finished run by writing them outside its output folder.
        string folder = Out("ckpt");
        SolveInProcess(spec, Out("first"), "--checkpoints", folder);
        var files = new CheckpointFolder(folder, 1).Files();
        Assert.That(files.Select(f => f.Step), Is.EqualTo(new[] { 16, 14, 12 }));
        var bytes = File.ReadAllBytes(files[0].File);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(files[0].File, bytes);
        File.WriteAllBytes(files[1].File, bytes[..(bytes.Length / 3)]);

        var r = _box.Run("solve", spec, "--output", Out("again"), "--checkpoints", folder, "--resume");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        Assert.That(r.Output, Does.Contain("skipped").And.Contain("checksum mismatch").And.Contain("continuing from step 12"));
        Assert.That(Outcome(Out("again")).History, Is.EqualTo(uninterrupted.History));
    }

    [Test]
    public void ACheckpointOfAnotherSpecIsRefused()
    {
        string spec = _box.WriteSpec(Short);
        string folder = Out("ckpt");
        SolveInProcess(spec, Out("first"), "--checkpoints", folder);
        string other = _box.WriteSpec(Short.Replace("learning_rate: 0.003", "learning_rate: 0.002"), "other.yaml");
        var r = _box.Run("solve", other, "--output", Out("second"), "--checkpoints", folder, "--resume", "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(r.Error, Does.Contain("--resume: no usable checkpoint").And.Contain("different spec"));
        Assert.That(Directory.Exists(Out("second")), Is.False);
    }

    [Test]
    public void ResumingWithoutCheckpointsStartsFromTheBeginning()
    {
        string spec = _box.WriteSpec(Short);
        var r = _box.Run("solve", spec, "--output", Out("fresh"), "--resume");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        Assert.That(r.Output, Does.Contain("no checkpoint in"));
        Assert.That(Outcome(Out("fresh")).History, Is.EqualTo(Outcome(SolveInProcess(spec, Out("full"))).History));
    }

    /// <summary>Three L-BFGS steps, then Adam with a learning rate that throws the weights to ±1e300 in one step.</summary>
    private const string Overflowing = """
        name: overflow
        problem:
          family: poisson
          domain: {x: [-1, 1]}
          exact: sin(pi*x)
          boundary:
            - on: all
        model: {type: kan, widths: [1, 3, 1], grid: 5}
        collocation:
          interior: {sampler: mesh, points: 32}
          boundary: {sampler: mesh, points: 2}
        schedule:
          - {optimizer: lbfgs, steps: 3}
          - {optimizer: adam, steps: 5, learning_rate: 1e300}
        evaluation: {points: 41}
        checkpoint: {every_steps: 1}
        threads: 1
        """;

    [Test]
    public void DivergenceStopsNamingTheStepAndTheLastGoodCheckpoint()
    {
        string spec = _box.WriteSpec(Overflowing);
        string output = Out("diverged");
        string log = Out("log.jsonl");
        var r = _box.Run("solve", spec, "--output", output, "--quiet", "--log-json", log);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Diverged), r.Error);
        Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
        string last = new CheckpointFolder(Checkpoints(output), 1).FileFor(3);
        Assert.That(r.Error, Does.Contain("training diverged at step 3").And.Contain("output")
            .And.Contain($"last good checkpoint: {last}").And.Contain("no results were written"));
        Assert.That(File.Exists(last), Is.True, "the last good checkpoint is kept");
        Assert.That(File.Exists(Path.Combine(output, ResultsWriter.MetricsFile)), Is.False);
        var events = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToArray();
        Assert.That(events[^2..], Is.EqualTo(new[] { "divergence", "error" }));
        // The kept checkpoint is good: resuming from it diverges at the same step, not before.
        var again = _box.Run("solve", spec, "--output", output, "--quiet", "--resume");
        Assert.That(again.ExitCode, Is.EqualTo(ExitCodes.Diverged));
        Assert.That(again.Error, Does.Contain("training diverged at step 3"));
    }

    [Test]
    public void RollbackLowersTheLearningRateAndFinishes()
    {
        string spec = _box.WriteSpec(Overflowing.Replace("checkpoint: {every_steps: 1}", "on_divergence: rollback\ndivergence: {rollbacks: 5, learning_rate_factor: 1e-100}"));
        string log = Out("log.jsonl");
        var r = _box.Run("solve", spec, "--output", Out("rolled"), "--quiet", "--log-json", log);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        var events = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var rollbacks = events.Where(e => e.GetProperty("event").GetString() == "rollback").ToArray();
        Assert.That(rollbacks, Is.Not.Empty);
        // Back to the in-memory state at the stage start (step 3), Adam's rate lowered by 1e-100 each time.
        Assert.That(rollbacks.Select(e => e.GetProperty("to_step").GetInt32()), Has.All.EqualTo(3));
        Assert.That(rollbacks[0].GetProperty("learning_rate_scale").GetDouble(), Is.EqualTo(1e-100));
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out("rolled"), ResultsWriter.MetricsFile))).RootElement;
        Assert.That(metrics.GetProperty("steps").GetInt32(), Is.EqualTo(8));
        Assert.That(metrics.GetProperty("relativeL2").GetDouble(), Is.LessThan(1.0));
    }
}
