using System.Diagnostics;
using Kan.Pde.Core.Runtime;
using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Comparison;
using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Setup;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>compare SPEC.yaml [--model YAML]... [--seeds LIST] [--output DIR] [--resume] [--device D] [--quiet]</c>: trains
/// every listed model with every seed on the spec's problem, points and schedule, writes each run's folder as soon as
/// it finishes, then the comparison tables and plots (<see cref="ComparisonReport"/>).
/// </summary>
public static class CompareCommand
{
    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CompareOptions options, TextWriter output)
    {
        if (options.HelpRequested)
        {
            output.WriteLine(CompareOptions.Usage);
            return ExitCodes.Success;
        }
        if (options.SpecPath is null) throw new UsageException("compare needs a spec file (try compare --help)");
        var spec = SpecLoader.LoadCompare(options.SpecPath, options.Models, options.Seeds);
        var results = Execute(spec, options.Output ?? spec.Output, options, output);
        ComparisonReport.Write(options.Output ?? spec.Output, results, CommandText("compare", options));
        return results.Runs.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.Diverged;
    }

    /// <summary>
    /// Trains (or, with <see cref="CompareOptions.Resume"/>, reloads) every run of <paramref name="spec"/> into
    /// <paramref name="dir"/>/runs and summarises them; the summary files are left to the caller.
    /// </summary>
    public static ComparisonResults Execute(CompareSpec spec, string dir, CompareOptions options, TextWriter output)
    {
        TorchRuntime.Configure(spec.Shared.Threads ?? Math.Max(1, Environment.ProcessorCount));
        string device = options.Device ?? spec.Shared.Device;
        output.WriteLine($"{spec.Name}: {spec.Models.Count} models, {spec.RunCount} runs on {spec.Shared.Problem.Family} " +
                         $"in {spec.Shared.Problem.Dimension}-D; results in {Path.GetFullPath(dir)}");
        var runs = new List<ComparedRun>();
        int index = 0;
        foreach (var model in spec.Models)
        {
            foreach (int seed in model.Seeds)
            {
                index++;
                string prefix = $"[{index}/{spec.RunCount}] {model.Label}, seed {seed}";
                if (options.Resume && RunFolder.TryLoad(dir, model, seed, device) is { } done)
                {
                    output.WriteLine($"{prefix}: reused {done.Folder} ({Errors(done.Metrics!)})");
                    runs.Add(done);
                    continue;
                }
                output.WriteLine($"{prefix}: training");
                var run = TrainOne(spec, model, seed, dir, device, options, output);
                output.WriteLine(run.Succeeded
                    ? $"{prefix}: {run.Metrics!.Parameters} parameters, {Errors(run.Metrics)}, {run.Metrics.TrainingSeconds:F1} s → {run.Folder}"
                    : $"{prefix}: {run.Failure}; nothing written for this run");
                runs.Add(run);
            }
        }
        return ComparisonResults.From(spec, runs);
    }

    /// <summary>A run's errors for the progress lines: against the exact solution, else against reference data, else the loss.</summary>
    private static string Errors(RunMetrics m) =>
        double.IsFinite(m.L2SquaredError) ? $"relative L2 {m.RelativeL2:E3}, L2^2 {m.L2SquaredError:E3}, H1^2 {m.H1SquaredError:E3}"
        : m.Reference.Count > 0 ? string.Join(", ", m.Reference.Select(r => $"max |error| {r.MaxAbsError:E3} on {r.Set}"))
        : $"final loss {m.FinalTotalLoss:E3}";

    private static ComparedRun TrainOne(CompareSpec spec, ComparedModel model, int seed, string dir, string device, CompareOptions options,
        TextWriter output)
    {
        var wall = Stopwatch.StartNew();
        using var setup = RunSetup.Build(spec.RunSpec(model, seed), device);
        var tracker = new StepErrorTracker(setup);
        try
        {
            var result = SolveCommand.Train(setup, options.Quiet, output, tracker.Observe);
            var record = SolveCommand.Summarize(setup, result, wall.Elapsed.TotalSeconds);
            RunFolder.Write(dir, model, seed, device, record, tracker.Rows);
            return new ComparedRun(model, seed, record.Metrics, tracker.Rows, RunFolder.RelativePath(model, seed));
        }
        catch (TrainingDivergedException e)
        {
            // One diverging model must not cost the others' results: it is reported in the table instead.
            return new ComparedRun(model, seed, null, tracker.Rows, null, e.Message);
        }
    }

    /// <summary>The command line as it would be typed, for the report.</summary>
    public static string CommandText(string verb, CompareOptions options)
    {
        var parts = new List<string> { "kan-pde", verb };
        if (options.SpecPath is not null) parts.Add(options.SpecPath);
        if (options.SpecOverride is not null) parts.Add($"--spec {options.SpecOverride}");
        foreach (var m in options.Models) parts.Add($"--model '{m}'");
        if (options.Seeds is { } seeds) parts.Add($"--seeds {string.Join(",", seeds)}");
        if (options.Output is not null) parts.Add($"--output {options.Output}");
        if (options.Device is not null) parts.Add($"--device {options.Device}");
        if (options.Resume) parts.Add("--resume");
        return string.Join(" ", parts);
    }
}

/// <summary>Options of the compare command.</summary>
/// <param name="SpecPath">The compare spec.</param>
/// <param name="Models">Models given with --model (YAML mappings); they replace the spec's.</param>
/// <param name="Seeds">Seeds given with --seeds; they replace every model's.</param>
/// <param name="Output">Results folder; overrides the spec's.</param>
/// <param name="Device">Device; overrides the spec's.</param>
/// <param name="Resume">Reuse finished runs whose configuration matches.</param>
/// <param name="Quiet">No per-step progress.</param>
public sealed record CompareOptions(string? SpecPath, IReadOnlyList<string> Models, IReadOnlyList<int>? Seeds, string? Output, string? Device,
    bool Resume, bool Quiet)
{
    /// <summary>True for <c>compare --help</c>.</summary>
    public bool HelpRequested { get; init; }

    /// <summary>reproduce only: a compare spec to run instead of the reproduction's own (e.g. a smaller one).</summary>
    public string? SpecOverride { get; init; }

    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde compare SPEC.yaml [--model YAML]... [--seeds LIST] [--output DIR] [--resume] [--device D] [--quiet]
          SPEC.yaml      a solve spec whose models are listed under compare.models (or its one 'model')
          --model YAML   a model as a YAML mapping, e.g. '{type: mlp, widths: [2, 32, 1], activation: tanh}';
                         repeat for several; replaces the spec's models
          --seeds LIST   comma-separated seeds, e.g. 0,1,2; replaces every model's seeds
          --output DIR   results folder (default: the spec's 'output', else results/<name>)
          --resume       reuse runs already in DIR/runs whose configuration is unchanged
          --device D     cpu, cuda or cuda:N (overrides the spec)
          --quiet        no per-step progress display
        """;
}
