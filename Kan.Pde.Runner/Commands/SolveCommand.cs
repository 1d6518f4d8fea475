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
/// <c>solve [spec.yaml] [--output DIR] [--device D] [--quiet] [--log-json FILE] [--checkpoints DIR] [--resume]</c>:
/// trains the spec's network on its problem (see <see cref="SolveTraining"/> for checkpoints, resume and divergence)
/// and writes metrics, history, fields, plots and a report to the output folder. Without a spec file the embedded
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
        using var log = options.LogJson is null ? null : JsonLinesLog.Open(options.LogJson, append: options.Resume);
        try
        {
            return Solve(options, output, log);
        }
        catch (Exception e) when (log is not null)
        {
            log.Write("error", ("exit_code", ExitCodes.For(e)), ("message", e.Message.Split('\n')[0]));
            throw;
        }
    }

    private static int Solve(SolveOptions options, TextWriter output, JsonLinesLog? log)
    {
        var wall = Stopwatch.StartNew();
        var (spec, specText) = options.SpecPath is null ? LoadDefaultSpec() : LoadSpec(options.SpecPath);
        if (spec.Interpret is not null) return InterpretCommand.Run(spec, options, output);
        string outputDir = options.Output ?? spec.Output;
        TorchRuntime.Configure(spec.Threads ?? Math.Max(1, Environment.ProcessorCount));

        using var setup = RunSetup.Build(spec, options.Device);
        output.WriteLine($"{spec.Name}: {spec.Problem.Family} in {spec.Problem.Dimension}-D, {setup.Network.Description}, " +
                         $"{setup.Network.ParameterCount} parameters, {setup.Points.Interior.shape[0]} interior + " +
                         $"{setup.Points.Boundary.shape[0]} boundary points, {spec.DType.ToString().ToLowerInvariant()} on {setup.Device}");
        if (setup.Network is HardBoundary hard && hard.LevelNearBoundary(setup.Points.Interior, setup.Points.Boundary) is > 0.5 and var level)
            output.WriteLine($"warning: the hard_boundary distance is already at {level:P0} of its largest value at the interior points nearest " +
                             "the boundary, so those points barely see the constraint and u can stay far from the boundary value just inside " +
                             "(a steep tanh product does this); a distance that grows linearly, such as a product of (x - a)*(b - x) " +
                             "terms, conditions the fit better");
        log?.Write("start", ("name", spec.Name), ("spec", spec.SourceFile), ("family", spec.Problem.Family), ("model", setup.Network.Description),
            ("parameters", setup.Network.ParameterCount), ("interior_points", setup.Points.Interior.shape[0]),
            ("boundary_points", setup.Points.Boundary.shape[0]), ("dtype", spec.DType.ToString().ToLowerInvariant()),
            ("device", setup.Device.ToString()), ("seed", spec.Seed), ("steps", setup.Schedule.Sum(st => st.Steps)), ("output", outputDir));
        if (setup.Problem is IProblemSequence sequence)
        {
            // Each member trains its own network from scratch; checkpoints and adaptive points are per training and not wired for sequences.
            if (options.CheckpointDir is not null || options.Resume || spec.Checkpoint is not null)
                throw new UsageException($"{spec.SourceFile}: the {spec.Problem.Family} family solves a sequence of trainings; checkpoints and --resume are not supported for it");
            if (SpecLoader.UsesAdaptiveTraining(spec.Collocation, spec.Loss))
                throw new UsageException($"{spec.SourceFile}: the {spec.Problem.Family} family solves a sequence of trainings; resample_every, adaptive, point_weights and balancing are not supported for it");
            return SequenceSolve.Run(setup, sequence, outputDir, options.Quiet, output, wall);
        }
        var result = SolveTraining.Run(setup, new SolveTraining.Options(specText ?? "", outputDir, options.CheckpointDir, options.Resume, options.Quiet),
            output, log);
        var record = Summarize(setup, result, wall.Elapsed.TotalSeconds) with { SpecText = specText, ExtraFiles = ProblemFigures.For(setup) };
        string written = ResultsWriter.WriteAll(outputDir, record);
        var m = record.Metrics;
        if (setup.Problem.Exact is not null)
            output.WriteLine($"relative L2 {m.RelativeL2:E3}, max |error| {m.MaxAbsError:E3}, L2^2 {m.L2SquaredError:E3}, H1^2 {m.H1SquaredError:E3}");
        if (m.Components.Count > 1)
            output.WriteLine("per field: " + string.Join("; ", m.Components.Select(c =>
                $"{c.Name}{(c.UpToConstant ? " (up to a constant)" : "")} relative L2 {c.RelativeL2:E3}, max |error| {c.MaxAbsError:E3}")));
        if (m.EvaluationLosses.Count > 0)
            output.WriteLine("loss terms between the points (evaluation mesh cell centres): " + string.Join(", ", m.EvaluationLosses.Select(t => $"{t.Key} {t.Value:E2}")));
        foreach (var r in m.Reference)
            output.WriteLine($"reference {r.Set}: {r.Output} max |error| {r.MaxAbsError:E3}, rms {r.RmsError:E3} over {r.Points} points");
        output.WriteLine($"{m.Steps} steps, {m.LossEvaluations} loss evaluations, {m.TrainingSeconds:F1} s training, {wall.Elapsed.TotalSeconds:F1} s total");
        output.WriteLine($"results: {written}");
        log?.Write("end", ("relative_l2", m.RelativeL2), ("max_abs_error", m.MaxAbsError), ("l2_squared_error", m.L2SquaredError),
            ("h1_squared_error", m.H1SquaredError), ("final_loss", m.FinalTotalLoss), ("steps", m.Steps), ("evaluations", m.LossEvaluations),
            ("training_seconds", m.TrainingSeconds), ("wall_seconds", wall.Elapsed.TotalSeconds), ("results", written));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Trains a built setup with progress and divergence handling but without checkpoints (for commands that train as
    /// a first step, such as interpret, or many runs, such as compare); <paramref name="onStep"/> sees every step.
    /// </summary>
    public static TrainingResult Train(RunSetup setup, bool quiet, TextWriter output, Action<StepRecord>? onStep = null) =>
        SolveTraining.Run(setup, new SolveTraining.Options("", setup.Spec.Output, null, Resume: false, quiet) { Checkpoints = false }, output, null, onStep);

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
            Reference = setup.References
                .SelectMany(r => r.Compare(setup.Network, setup.Problem.OutputNames, setup.Problem.OutputsUpToConstant))
                .Select(e => new ReferenceMetrics(e.Set, e.Output, e.Count, e.MaxAbsError, e.RmsError, e.UpToConstant)).ToArray(),
            Quantities = setup.Problem is IProblemQuantities q ? q.Quantities(setup.Network, setup.EvaluationPoints) : new Dictionary<string, double>(),
            FinalLosses = last?.Terms ?? new Dictionary<string, double>(),
            EvaluationLosses = LossesBetweenPoints(setup),
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
        var fields = EvaluationFields.Sample(setup);
        string first = setup.Problem.OutputNames[0];
        var record = new RunRecord
        {
            Metrics = metrics,
            History = history,
            GridChanges = changes,
            Fields = fields,
            Profiles = Profiles(setup),
        };
        // Several outputs get a panel per output (and per time slice); one output keeps the single heat maps.
        if (setup.Problem.OutputDimension > 1) return record with { Slices = Slices(setup) };
        return record with
        {
            Prediction = fields.ToGrid2D(first, first),
            Exact = fields.ToGrid2D(first + "_exact", first + " exact"),
        };
    }

    /// <summary>Largest evaluation mesh on which the loss terms are re-evaluated after training.</summary>
    public const int MaxResidualCheckPoints = 200_000;

    /// <summary>
    /// The unweighted loss terms after training with the cell centres of the evaluation mesh as interior points (points
    /// between any mesh-aligned collocation points, away from edges and corners) and a boundary mesh with as many points
    /// per axis as the evaluation mesh: a network that only fits its collocation points shows it here.
    /// </summary>
    private static IReadOnlyDictionary<string, double> LossesBetweenPoints(RunSetup setup)
    {
        var counts = setup.Spec.Evaluation.Points;
        // Second-order jets of a very large mesh would not fit in memory; the check is a diagnostic, not a metric.
        if (counts.Aggregate(1L, (p, n) => p * n) > MaxResidualCheckPoints) return new Dictionary<string, double>();
        using var scope = NewDisposeScope();
        var axes = setup.Domain.Bounds.Axes;
        var centres = new Core.Geometry.Box(axes.Select((a, d) =>
        {
            double half = 0.5 * a.Length / (counts[d] - 1);
            return new Core.Geometry.Interval(a.Name, a.Lo + half, a.Hi - half);
        }).ToArray()).Mesh(counts.Select(n => n - 1).ToArray(), setup.Spec.DType, setup.Device);
        var boundary = setup.Domain.MeshBoundary(counts.Max(), setup.Spec.DType, setup.Device);
        var points = new CollocationSet(centres, boundary, setup.Domain);
        var terms = setup.Problem.Losses(new Core.Derivatives.ForwardModeEvaluator(setup.Network), points);
        return terms.ToDictionary(t => t.Name, t => t.MeanSquare.to(ScalarType.Float64).item<double>());
    }

    /// <summary>
    /// Every output on the evaluation mesh's (x, y) grid: once for a 2-D domain, at the first, middle and last time for
    /// (x, y, t); none otherwise.
    /// </summary>
    private static IReadOnlyList<FieldSlice> Slices(RunSetup setup)
    {
        var variables = setup.Domain.Variables;
        bool unsteady = variables.Count == 3 && variables[2] == "t";
        if (variables.Count != 2 && !unsteady) return Array.Empty<FieldSlice>();
        var axes = setup.Domain.Bounds.Axes;
        var times = unsteady ? new[] { axes[2].Lo, 0.5 * (axes[2].Lo + axes[2].Hi), axes[2].Hi } : new[] { double.NaN };
        int nx = setup.Spec.Evaluation.Points[0], ny = setup.Spec.Evaluation.Points[1];
        var xs = Linspace(axes[0].Lo, axes[0].Hi, nx);
        var ys = Linspace(axes[1].Lo, axes[1].Hi, ny);
        var names = setup.Problem.OutputNames;
        var gauge = names.Select((_, k) => setup.Problem.OutputsUpToConstant.Contains(k)).ToArray();
        var slices = new List<FieldSlice>();
        using var noGrad = no_grad();
        foreach (double t in times)
        {
            using var scope = NewDisposeScope();
            // "ij" order: point index = ix·ny + iy.
            var rows = new double[nx * ny * variables.Count];
            for (int ix = 0; ix < nx; ix++)
                for (int iy = 0; iy < ny; iy++)
                {
                    int n = (ix * ny + iy) * variables.Count;
                    rows[n] = xs[ix];
                    rows[n + 1] = ys[iy];
                    if (unsteady) rows[n + 2] = t;
                }
            var points = tensor(rows, new long[] { nx * ny, variables.Count }, setup.Spec.DType, setup.Device);
            FieldGrid2D[] Grids(Tensor values) => names.Select((name, k) => ToGrid(values.select(1, k), xs, ys, name)).ToArray();
            var predicted = Grids(setup.Network.Forward(points));
            var exact = setup.Problem.Exact is { } e ? Grids(e.Value(points)) : null;
            string label = unsteady ? $"t = {t:0.###}" : "", suffix = unsteady ? $"-t{t:0.###}" : "";
            slices.Add(new FieldSlice(label, suffix, names, predicted, exact, gauge));
        }
        return slices;
    }

    /// <summary>Outputs along the line of each reference set that varies along one coordinate, with its samples.</summary>
    private static IReadOnlyList<Results.Profile> Profiles(RunSetup setup)
    {
        var profiles = new List<Results.Profile>();
        var variables = setup.Domain.Variables;
        var names = setup.Problem.OutputNames;
        using var noGrad = no_grad();
        foreach (var reference in setup.Spec.Evaluation.References)
        {
            if (reference.Varying.Count != 1) continue;
            using var scope = NewDisposeScope();
            int d = reference.Varying[0];
            var axis = setup.Domain.Bounds.Axes[d];
            var along = Linspace(axis.Lo, axis.Hi, 201);
            var first = reference.Points[0];
            var rows = along.SelectMany(a => first.Select((c, e) => e == d ? a : c)).ToArray();
            var points = tensor(rows, new long[] { along.Length, variables.Count }, setup.Spec.DType, setup.Device);
            var predicted = setup.Network.Forward(points).to(ScalarType.Float64, CPU).contiguous();
            var outputs = new List<(string, double[], double[], double[])>();
            for (int k = 0; k < names.Count; k++)
            {
                var samples = Enumerable.Range(0, reference.Points.Length).Where(n => !double.IsNaN(reference.Values[n][k])).ToArray();
                if (samples.Length == 0) continue;
                outputs.Add((names[k], predicted.select(1, k).data<double>().ToArray(),
                    samples.Select(n => reference.Points[n][d]).ToArray(), samples.Select(n => reference.Values[n][k]).ToArray()));
            }
            string line = string.Join(", ", variables.Select((v, e) => (v, e)).Where(p => p.e != d).Select(p => $"{p.v} = {first[p.e]:0.####}"));
            profiles.Add(new Results.Profile(reference.Name, line, variables[d], along, outputs, reference.File));
        }
        return profiles;
    }

    private static FieldGrid2D ToGrid(Tensor values, double[] xs, double[] ys, string label)
    {
        int nx = xs.Length, ny = ys.Length;
        var flat = values.to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var grid = new double[ny, nx];
        for (int ix = 0; ix < nx; ix++)
            for (int iy = 0; iy < ny; iy++) grid[iy, ix] = flat[ix * ny + iy];
        return new FieldGrid2D(xs, ys, grid, label);
    }

    private static double[] Linspace(double lo, double hi, int n) => Enumerable.Range(0, n).Select(i => lo + (hi - lo) * i / (n - 1)).ToArray();

    private static (SolveSpec Spec, string? Text) LoadSpec(string path)
    {
        var spec = SpecLoader.Load(path);
        string? text = null;
        try { text = File.ReadAllText(path); }
        catch (IOException) { }
        return (spec, text);
    }

    private static (SolveSpec Spec, string? Text) LoadDefaultSpec()
    {
        using var stream = typeof(SolveCommand).Assembly.GetManifestResourceStream(DefaultSpecResource)
            ?? throw new InvalidOperationException("the embedded default spec is missing from the build");
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        return (SpecLoader.Parse(text, "<embedded poisson-2d.yaml>"), text);
    }
}

/// <summary>Options of the solve command.</summary>
public sealed record SolveOptions(string? SpecPath, string? Output, string? Device, bool Quiet)
{
    /// <summary>True for <c>solve --help</c>: print usage, run nothing.</summary>
    public bool HelpRequested { get; init; }

    /// <summary>Where to write the JSON-lines log (one object per step and event), or null.</summary>
    public string? LogJson { get; init; }

    /// <summary>Continue from the newest checkpoint of the checkpoint folder.</summary>
    public bool Resume { get; init; }

    /// <summary>The checkpoint folder (overrides the spec's; also turns checkpoints on), or null.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde solve [SPEC.yaml] [--output DIR] [--device cpu|cuda] [--quiet] [--log-json FILE]
                             [--checkpoints DIR] [--resume]
          SPEC.yaml        problem spec (default: the bundled pykan Poisson tutorial, problems-yaml/poisson-2d.yaml)
          --output DIR     results folder (default: the spec's 'output', else results/<name>)
          --device D       cpu, cuda or cuda:N (overrides the spec)
          --quiet, -q      no progress display; only the final summary lines
          --log-json FILE  also write a JSON-lines log: one object per event (start, step, grid_change,
                           checkpoint, divergence, end, error), flushed line by line
          --checkpoints DIR  write checkpoints to DIR (default: the spec's checkpoint folder, else
                           DIR/checkpoints of the output folder); turns them on when the spec has none
          --resume         continue from the newest checkpoint (same spec) where an earlier run stopped;
                           ends where an uninterrupted run would
        Ctrl-C or SIGTERM stops after the current step with a checkpoint (exit 130).
        writes metrics.json, history.csv, fields.vtk, fields.csv, spec.yaml, report.html and PNG plots.
        exit codes: 0 success, 1 internal error, 2 bad input, 3 training diverged, 130 interrupted
        """;
}
