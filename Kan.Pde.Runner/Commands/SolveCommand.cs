using System.Diagnostics;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Runtime;
using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Console;
using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Setup;
using Kan.Pde.Runner.Spec;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>solve [spec.yaml] [--output DIR] [--device D] [--quiet]</c>: trains the spec's network on its
/// problem and writes metrics, history and plots to the output folder. Without a spec file the embedded
/// default (the pykan Poisson tutorial) runs.
/// </summary>
public static class SolveCommand
{
    /// <summary>Name of the embedded default spec.</summary>
    public const string DefaultSpecResource = "default-spec.yaml";

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(SolveOptions options, TextWriter output)
    {
        if (options.HelpRequested)
        {
            output.WriteLine(SolveOptions.Usage);
            return ExitCodes.Success;
        }
        var wall = Stopwatch.StartNew();
        var spec = options.SpecPath is null ? LoadDefaultSpec() : SpecLoader.Load(options.SpecPath);
        if (spec.Interpret is not null) return InterpretCommand.Run(spec, options, output);
        string outputDir = options.Output ?? spec.Output;
        TorchRuntime.Configure(spec.Threads ?? Math.Max(1, Environment.ProcessorCount));

        using var setup = RunSetup.Build(spec, options.Device);
        output.WriteLine($"{spec.Name}: {spec.Problem.Family} in {spec.Problem.Dimension}-D, {setup.Network.Description}, " +
                         $"{setup.Network.ParameterCount} parameters, {setup.Points.Interior.shape[0]} interior + " +
                         $"{setup.Points.Boundary.shape[0]} boundary points, {spec.DType.ToString().ToLowerInvariant()} on {setup.Device}");
        var result = Train(setup, options.Quiet, output);
        var record = Summarize(setup, result, wall.Elapsed.TotalSeconds);
        string written = ResultsWriter.WriteAll(outputDir, record);
        var m = record.Metrics;
        output.WriteLine($"relative L2 {m.RelativeL2:E3}, max |error| {m.MaxAbsError:E3}, L2^2 {m.L2SquaredError:E3}, H1^2 {m.H1SquaredError:E3}");
        output.WriteLine($"{m.Steps} steps, {m.LossEvaluations} loss evaluations, {m.TrainingSeconds:F1} s training, {wall.Elapsed.TotalSeconds:F1} s total");
        output.WriteLine($"results: {written}");
        return ExitCodes.Success;
    }

    /// <summary>Trains a built setup (shared with other commands); <paramref name="onStep"/> sees every step after the display.</summary>
    public static TrainingResult Train(RunSetup setup, bool quiet, TextWriter output, Action<StepRecord>? onStep = null)
    {
        var clock = Stopwatch.StartNew();
        var start = setup.SelectInitialization();
        if (start is not null && !quiet)
            output.WriteLine($"multi-start: kept candidate {start.BestIndex} of {start.TrialLosses.Count} " +
                             $"(trial losses {string.Join(", ", start.TrialLosses.Select(l => l.ToString("E2")))}; {start.Evaluations} evaluations)");
        double trialSeconds = clock.Elapsed.TotalSeconds;
        var trainer = setup.CreateTrainer(setup.Network);
        var progress = new ProgressDisplay(setup.Schedule.Sum(s => s.Steps), quiet, output == System.Console.Out ? null : output);
        trainer.StepCompleted += progress.Report;
        if (onStep is not null) trainer.StepCompleted += onStep;
        var result = trainer.Run(setup.Schedule);
        // The trials are part of the cost of this run.
        return start is null ? result
            : result with { Seconds = result.Seconds + trialSeconds, Evaluations = result.Evaluations + start.Evaluations };
    }

    /// <summary>Metrics, history and fields of a finished run, as plain data for the results writer.</summary>
    public static RunRecord Summarize(RunSetup setup, TrainingResult result, double wallSeconds)
    {
        var spec = setup.Spec;
        var exact = setup.Problem.Exact;
        var errors = exact is null ? null
            : ErrorMetrics.Compute(setup.Network, exact, setup.EvaluationPoints, setup.Problem.OutputNames, setup.Problem.OutputsUpToConstant);
        var last = result.History.Count > 0 ? result.History[^1] : null;
        var metrics = new RunMetrics
        {
            Name = spec.Name,
            ProblemFamily = spec.Problem.Family,
            Model = setup.Network.Description,
            Parameters = (int)setup.Network.ParameterCount,
            RelativeL2 = errors?.RelativeL2 ?? double.NaN,
            MaxAbsError = errors?.MaxAbsError ?? double.NaN,
            L2SquaredError = errors?.L2Squared ?? double.NaN,
            H1SquaredError = errors?.H1Squared ?? double.NaN,
            H1GradientSquaredError = errors?.H1GradientPart ?? double.NaN,
            Components = errors?.Components.Select(c => new ComponentMetrics(c.Name, c.RelativeL2, c.MaxAbsError, c.L2Squared, c.UpToConstant)).ToArray()
                         ?? Array.Empty<ComponentMetrics>(),
            FinalLosses = last?.Terms ?? new Dictionary<string, double>(),
            FinalTotalLoss = last?.TotalLoss ?? double.NaN,
            WallSeconds = wallSeconds,
            TrainingSeconds = result.Seconds,
            Steps = result.History.Count,
            LossEvaluations = result.Evaluations,
            Dtype = spec.DType == ScalarType.Float32 ? "float32" : "float64",
            Device = setup.Device.ToString(),
            Seed = spec.Seed,
            SpecFile = spec.SourceFile,
        };
        var history = result.History.Select(h => new HistoryRow(h.Step, h.Stage, h.GridSize, h.TotalLoss, h.Terms, h.RelativeL2, h.Seconds)).ToArray();
        var changes = result.GridChanges.Select(c => new Results.GridChange(c.Step, c.FromGrid, c.ToGrid)).ToArray();
        var record = new RunRecord { Metrics = metrics, History = history, GridChanges = changes };
        if (setup.Domain.Dimension != 2) return record;
        var (prediction, reference) = FieldsOnMesh(setup);
        return record with { Prediction = prediction, Exact = reference };
    }

    private static (FieldGrid2D Prediction, FieldGrid2D? Exact) FieldsOnMesh(RunSetup setup)
    {
        int nx = setup.Spec.Evaluation.Points[0], ny = setup.Spec.Evaluation.Points[1];
        using var noGrad = no_grad();
        var points = setup.EvaluationPoints;
        var axes = setup.Domain.Bounds.Axes;
        var xs = Linspace(axes[0].Lo, axes[0].Hi, nx);
        var ys = Linspace(axes[1].Lo, axes[1].Hi, ny);
        FieldGrid2D ToGrid(Tensor values, string label)
        {
            // The mesh is in "ij" order: point index = ix·ny + iy.
            var flat = values.to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
            var grid = new double[ny, nx];
            for (int ix = 0; ix < nx; ix++)
                for (int iy = 0; iy < ny; iy++) grid[iy, ix] = flat[ix * ny + iy];
            return new FieldGrid2D(xs, ys, grid, label);
        }
        var u = ToGrid(setup.Network.Forward(points).select(1, 0), "u");
        var exact = setup.Problem.Exact is { } e ? ToGrid(e.Value(points).select(1, 0), "u exact") : null;
        return (u, exact);
    }

    private static double[] Linspace(double lo, double hi, int n) => Enumerable.Range(0, n).Select(i => lo + (hi - lo) * i / (n - 1)).ToArray();

    private static SolveSpec LoadDefaultSpec()
    {
        using var stream = typeof(SolveCommand).Assembly.GetManifestResourceStream(DefaultSpecResource)
            ?? throw new InvalidOperationException("the embedded default spec is missing from the build");
        using var reader = new StreamReader(stream);
        return SpecLoader.Parse(reader.ReadToEnd(), "<embedded poisson-2d.yaml>");
    }
}

/// <summary>Options of the solve command.</summary>
public sealed record SolveOptions(string? SpecPath, string? Output, string? Device, bool Quiet)
{
    /// <summary>True for <c>solve --help</c>: print usage, run nothing.</summary>
    public bool HelpRequested { get; init; }

    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde solve [SPEC.yaml] [--output DIR] [--device cpu|cuda] [--quiet]
          SPEC.yaml      problem spec (default: the bundled pykan Poisson tutorial, problems-yaml/poisson-2d.yaml)
          --output DIR   results folder (default: the spec's 'output', else results/<name>)
          --device D     cpu, cuda or cuda:N (overrides the spec)
          --quiet        no progress display
        """;
}
