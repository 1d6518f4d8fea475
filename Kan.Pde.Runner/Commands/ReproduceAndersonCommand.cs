using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Runtime;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Anderson;
using Kan.Pde.Runner.Results;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>reproduce anderson</c>: the KAN paper's §4.4 from data. For the mosaic (κ = 2, 3), GAAM and MAAM chains it
/// diagonalizes many N-site chains, labels their eigenstates extended (D &gt; 0.5) or localized, trains KAN
/// classifiers, measures them on held-out chains beside the analytic mobility edges, reads the edges out of the
/// networks (mosaic curves, GAAM formula, MAAM pruned and snapped), and writes phase diagrams, accuracies and formulas.
/// </summary>
public static class ReproduceAndersonCommand
{
    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde reproduce anderson [--output DIR] [--cache DIR] [--only NAMES] [--quick] [--quiet]
          --output DIR   results folder (default results/anderson)
          --cache DIR    keep the diagonalized data sets there and reuse them (they are deterministic)
          --only NAMES   comma-separated subset of: mosaic-k2, mosaic-k3, gaam, maam
          --quick        small chains, few chains and steps: a smoke test of the pipeline, not the reproduction
          --quiet        no progress lines
        """;

    private const int Seed = 0, TrainDataSeed = 1, TestDataSeed = 2;

    private sealed record Options(string Output, string? Cache, IReadOnlyList<string>? Only, bool Quick, bool Quiet);

    /// <summary>One family of the reproduction: its data, its classifier and its phase-diagram slice.</summary>
    private sealed record Experiment(ChainFamily Family, int TrainChains, int TestChains, StudySettings Settings, Slice Slice);

    /// <summary>The phase-diagram slice of an experiment: its parameter sweep and the x-axis label.</summary>
    private sealed record Slice(ParameterSweep Sweep, string Label);

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var options = Parse(args, out bool help);
        if (help)
        {
            output.WriteLine(Usage);
            return ExitCodes.Success;
        }
        TorchRuntime.Configure(1);
        var wall = Stopwatch.StartNew();
        int sites = options.Quick ? 120 : 500;
        var experiments = Experiments(options.Quick).Where(e => options.Only is null || options.Only.Contains(e.Family.Name)).ToArray();
        void Log(string line)
        {
            if (!options.Quiet) output.WriteLine(line);
        }

        var reports = new List<(Experiment Experiment, StudyResult Result, double DataSeconds, PhaseData Phase)>();
        foreach (var experiment in experiments)
        {
            var clock = Stopwatch.StartNew();
            var train = Data(experiment.Family, experiment.TrainChains, sites, TrainDataSeed, options.Cache, Log);
            var test = Data(experiment.Family, experiment.TestChains, sites, TestDataSeed, options.Cache, Log);
            double dataSeconds = clock.Elapsed.TotalSeconds;
            Log($"{experiment.Family.Name}: {train.Count} + {test.Count} states in {dataSeconds:F0} s; theory accuracy {test.TheoryAccuracy():P2} on the test chains");
            var result = MobilityEdgeStudy.Run(experiment.Settings, train, test, out var network, Log);
            using (network)
            {
                var phase = Sweep(experiment, network, sites, options.Quick ? 20 : 80);
                reports.Add((experiment, result, dataSeconds, phase));
            }
        }

        string written = ResultsWriter.WriteFolder(options.Output, dir =>
        {
            foreach (var (experiment, result, _, phase) in reports)
            {
                string name = experiment.Family.Name;
                PhaseDiagramPlot.Save(Path.Combine(dir, $"phase-{name}.png"),
                    $"{name}: D of every eigenstate, N = {sites}; analytic edge {experiment.Family.TheoryEdge}",
                    experiment.Slice.Label, phase.Xs, phase.Energies, phase.Dimensions, phase.Theory, phase.Learned);
                if (result.Curve is { } curve)
                    PhaseDiagramPlot.SaveEdgeCurve(Path.Combine(dir, $"edge-{name}.png"),
                        $"{name}: learned vs analytic mobility edge (deviation: mean {curve.MeanRelativeDeviation:P1}, max {curve.MaxRelativeDeviation:P1})",
                        curve.Energies, curve.Learned, curve.Theory, experiment.Family.TheoryEdge);
            }
            File.WriteAllText(Path.Combine(dir, "summary.json"), Json(reports.Select(r => (r.Experiment, r.Result, r.DataSeconds)).ToArray(), sites, wall.Elapsed.TotalSeconds, options) + "\n");
            File.WriteAllText(Path.Combine(dir, "summary.md"), Markdown(reports.Select(r => (r.Experiment, r.Result, r.DataSeconds)).ToArray(), sites, wall.Elapsed.TotalSeconds, options));
        });
        output.WriteLine($"results: {written} ({wall.Elapsed.TotalMinutes:F1} min)");
        return ExitCodes.Success;
    }

    private static Experiment[] Experiments(bool quick)
    {
        int Chains(int n) => quick ? Math.Max(4, n / 40) : n;
        int Steps(int n) => quick ? Math.Max(2, n / 10) : n;
        IReadOnlyList<ScheduleStage> Schedule(params (int Steps, int Grid)[] stages) => stages
            .Select(s => new ScheduleStage(OptimizerKind.Lbfgs, Steps(s.Steps), s.Grid, s.Steps >= 10 ? new[] { 0, 10 } : new[] { 0 }))
            .ToArray();
        var kan = new KanOptions(GridSize: 5, Order: 3);
        var mosaicSchedule = Schedule((30, 5), (30, 10), (30, 20));
        ChainFamily mosaic2 = ChainFamily.Mosaic(2), mosaic3 = ChainFamily.Mosaic(3);
        ChainFamily gaam = ChainFamily.GeneralizedAubryAndre(), maam = ChainFamily.LongRangeAubryAndre();
        Slice MosaicSlice(ChainFamily mosaic) => new(new ParameterSweep(mosaic, "lambda", new Dictionary<string, double>()), "λ");
        return new[]
        {
            new Experiment(mosaic2, Chains(300), Chains(100),
                new StudySettings(new[] { 2, 1 }, kan, 100, mosaicSchedule, EdgeReading.MosaicCurve, 0, Seed), MosaicSlice(mosaic2)),
            new Experiment(mosaic3, Chains(300), Chains(100),
                new StudySettings(new[] { 2, 1 }, kan, 100, mosaicSchedule, EdgeReading.MosaicCurve, 0, Seed), MosaicSlice(mosaic3)),
            new Experiment(gaam, Chains(1200), Chains(200),
                new StudySettings(new[] { 4, 2, 1, 1 }, kan, 40, Schedule((30, 5), (30, 10)), EdgeReading.Polynomial, Steps(20), Seed, "alpha*E"),
                new Slice(new ParameterSweep(gaam, "alpha", new Dictionary<string, double> { ["lambda"] = 0.5 }), "α  (λ = 0.5)")),
            new Experiment(maam, Chains(1200), Chains(200),
                new StudySettings(new[] { 4, 3, 1, 1 }, kan, 40, Schedule((30, 5), (30, 10)), EdgeReading.PruneAndSnap, Steps(20), Seed),
                new Slice(new ParameterSweep(maam, "lambda", new Dictionary<string, double> { ["p"] = 1.0 }), "λ  (p = 1)")),
        };
    }

    /// <summary>The states of a parameter sweep and the classifier's edge in it.</summary>
    private sealed record PhaseData(double[] Xs, double[] Energies, double[] Dimensions, IReadOnlyList<PhaseDiagramPlot.Curve> Theory,
        (double[] Xs, double[] Ys) Learned);

    private static PhaseData Sweep(Experiment experiment, INetwork network, int sites, int columns)
    {
        var sweep = experiment.Slice.Sweep;
        var parameters = sweep.Columns(columns, new Random(TestDataSeed + 100));
        var data = MobilityEdgeData.FromParameters(experiment.Family, parameters, sites, LatticeBoundary.Open, parallelism: 1);
        var xs = Enumerable.Range(0, data.Count).Select(i => parameters[data.ChainIndex[i]][sweep.SweptIndex]).ToArray();
        var energies = Enumerable.Range(0, data.Count).Select(data.Energy).ToArray();
        var learned = LogitZeroCrossings.InSpectra(network, data, sweep.SweptIndex);
        double eLo = energies.Min(), eHi = energies.Max();
        var theory = sweep.TheoryEdge(sweep.Values(200))
            .Select((branch, b) => new PhaseDiagramPlot.Curve(branch.Values, branch.Energies, b == 0 ? experiment.Family.TheoryEdge : "", false))
            .Select(curve => Clip(curve, eLo, eHi)).Where(curve => curve.Xs.Length > 1).ToArray();
        return new PhaseData(xs, energies, data.Dimensions, theory, learned);
    }

    private static PhaseDiagramPlot.Curve Clip(PhaseDiagramPlot.Curve curve, double lo, double hi)
    {
        var keep = Enumerable.Range(0, curve.Xs.Length).Where(i => double.IsFinite(curve.Ys[i]) && curve.Ys[i] >= lo && curve.Ys[i] <= hi).ToArray();
        return curve with { Xs = keep.Select(i => curve.Xs[i]).ToArray(), Ys = keep.Select(i => curve.Ys[i]).ToArray() };
    }

    /// <summary>A data set from the cache folder, or diagonalized (and then cached).</summary>
    private static MobilityEdgeData Data(ChainFamily family, int chains, int sites, int seed, string? cache, Action<string> log)
    {
        string? path = cache is null ? null : Path.Combine(cache, $"{family.Name}-N{sites}-{chains}-seed{seed}.bin");
        if (path is not null && File.Exists(path))
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            int count = reader.ReadInt32(), d = family.Features.Count;
            var features = new double[count * d];
            var dims = new double[count];
            var theory = new bool[count];
            var index = new int[count];
            for (int i = 0; i < features.Length; i++) features[i] = reader.ReadDouble();
            for (int i = 0; i < count; i++)
            {
                dims[i] = reader.ReadDouble();
                theory[i] = reader.ReadBoolean();
                index[i] = reader.ReadInt32();
            }
            log($"{family.Name}: read {chains} chains from {path}");
            return MobilityEdgeData.FromArrays(family, sites, LatticeBoundary.Open, seed, features, dims, theory, index);
        }
        log($"{family.Name}: diagonalizing {chains} chains of {sites} sites");
        var data = MobilityEdgeData.Generate(family, chains, sites, LatticeBoundary.Open, seed, parallelism: 2);
        if (path is not null)
        {
            Directory.CreateDirectory(cache!);
            string partial = path + ".partial";
            using (var writer = new BinaryWriter(File.Create(partial)))
            {
                writer.Write(data.Count);
                foreach (double v in data.FeatureValues) writer.Write(v);
                for (int i = 0; i < data.Count; i++)
                {
                    writer.Write(data.Dimensions[i]);
                    writer.Write(data.TheoryExtended[i]);
                    writer.Write(data.ChainIndex[i]);
                }
            }
            File.Move(partial, path, overwrite: true);
        }
        return data;
    }

    private static string Json((Experiment Experiment, StudyResult Result, double DataSeconds)[] reports, int sites, double seconds, Options options)
    {
        var summary = new
        {
            experiment = "KAN paper §4.4: mobility edges from data",
            sites,
            boundary = "open",
            extendedThreshold = LocalizationMeasures.ExtendedThreshold,
            quick = options.Quick,
            wallSeconds = seconds,
            families = reports.Select(r => new
            {
                name = r.Experiment.Family.Name,
                description = r.Experiment.Family.Description,
                theoryEdge = r.Experiment.Family.TheoryEdge,
                features = r.Experiment.Family.Features,
                parameterRanges = r.Experiment.Family.Parameters.ToDictionary(p => p.Name, p => new[] { p.Lo, p.Hi }),
                trainChains = r.Experiment.TrainChains,
                testChains = r.Experiment.TestChains,
                trainStates = r.Result.TrainStates,
                testStates = r.Result.TestStates,
                model = r.Result.Model,
                theoryTrainAccuracy = r.Result.TheoryTrainAccuracy,
                theoryTestAccuracy = r.Result.TheoryTestAccuracy,
                trainAccuracy = r.Result.TrainAccuracy,
                testAccuracy = r.Result.TestAccuracy,
                prunedTestAccuracy = r.Result.PrunedTestAccuracy,
                symbolicTestAccuracy = r.Result.SymbolicTestAccuracy,
                prunedEdges = r.Result.PrunedEdges,
                inputEdgeImportance = r.Result.InputEdgeImportance,
                snapped = r.Result.Snapped,
                formula = r.Result.Formula is { } f ? new
                {
                    text = f.Text,
                    testAccuracy = f.TestAccuracy,
                    expansionResidual = f.ExpansionResidual,
                    monomials = f.Monomials.Where(m => Math.Abs(m.Coefficient) > 0).ToDictionary(m => m.Text, m => m.Coefficient),
                } : null,
                learnedEdgeFit = r.Result.EdgeFit is { } fit ? new
                {
                    form = fit.Form,
                    coefficients = fit.Coefficients,
                    analytic = fit.Target,
                    relativeErrors = fit.Coefficients.ToDictionary(k => k.Key,
                        k => fit.Target[k.Key] != 0 ? Math.Abs(k.Value - fit.Target[k.Key]) / Math.Abs(fit.Target[k.Key]) : Math.Abs(k.Value)),
                    dataCoefficients = fit.DataCoefficients,
                    dataRelativeErrors = fit.DataCoefficients.ToDictionary(k => k.Key,
                        k => fit.Target[k.Key] != 0 ? Math.Abs(k.Value - fit.Target[k.Key]) / Math.Abs(fit.Target[k.Key]) : Math.Abs(k.Value)),
                    agreement = fit.Agreement,
                    states = fit.States,
                } : null,
                edgeCurve = r.Result.Curve is { } c ? new
                {
                    points = c.Energies.Length,
                    maxRelativeDeviation = c.MaxRelativeDeviation,
                    meanRelativeDeviation = c.MeanRelativeDeviation,
                    shareWithin5Percent = c.ShareWithin5Percent,
                    fittedConstant = c.FittedConstant,
                } : null,
                finalLoss = r.Result.LossHistory.Count > 0 ? r.Result.LossHistory[^1] : double.NaN,
                dataSeconds = r.DataSeconds,
                trainingSeconds = r.Result.TrainingSeconds,
            }).ToArray(),
        };
        return JsonSerializer.Serialize(summary, MetricsJson.Options);
    }

    private static string Markdown((Experiment Experiment, StudyResult Result, double DataSeconds)[] reports, int sites, double seconds, Options options)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# Mobility edges from data (KAN paper §4.4)");
        sb.AppendLine();
        sb.AppendLine(c, $"Chains of N = {sites} sites, open ends; every eigenstate labelled extended when D = −log IPR / log N > 0.5. " +
                         $"Test states are all states of chains not used in training. Wall time {seconds / 60:F1} min{(options.Quick ? " (quick smoke run, not the reproduction)" : "")}.");
        sb.AppendLine();
        sb.AppendLine("| family | analytic edge | model | train / test states | theory acc. (test) | KAN acc. (train) | KAN acc. (test) | pruned | symbolic | data s | training s |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (e, r, dataSeconds) in reports)
            sb.AppendLine(c, $"| {e.Family.Name} | {e.Family.TheoryEdge} | {r.Model} | {r.TrainStates} / {r.TestStates} | {r.TheoryTestAccuracy:P2} | {r.TrainAccuracy:P2} | {r.TestAccuracy:P2} | {Percent(r.PrunedTestAccuracy)} | {Percent(r.SymbolicTestAccuracy)} | {dataSeconds:F0} | {r.TrainingSeconds:F0} |");
        sb.AppendLine();
        sb.AppendLine("Parameter ranges (uniform): " + string.Join("; ", reports.Select(r =>
            $"{r.Experiment.Family.Name}: " + string.Join(", ", r.Experiment.Family.Parameters.Select(p => string.Create(c, $"{p.Name} ∈ [{p.Lo:G4}, {p.Hi:G4}]"))))));
        foreach (var (e, r, _) in reports)
        {
            if (r.Curve is { } curve)
            {
                sb.AppendLine();
                sb.AppendLine(c, $"## {e.Family.Name}: learned edge curve");
                sb.AppendLine();
                sb.AppendLine(c, $"The λ edge is fixed linear, so the logit is s(E)·λ + t(E) and the learned edge is λ*(E) = −t/s. Against {e.Family.TheoryEdge} at {curve.Energies.Length} energies of states near the edge: " +
                                 $"max relative deviation {curve.MaxRelativeDeviation:P2}, mean {curve.MeanRelativeDeviation:P2}, within 5 % at {curve.ShareWithin5Percent:P1} of them; the best constant c in λ|f(E)| = c is {curve.FittedConstant:G5} (theory 2).");
            }
            if (r.EdgeFit is { } fit)
            {
                sb.AppendLine();
                sb.AppendLine(c, $"## {e.Family.Name}: learned edge in the analytic form");
                sb.AppendLine();
                sb.AppendLine(string.Create(c, $"A logistic model in the terms of the analytic form, fitted to the trained KAN's probabilities σ(logit) on the {fit.States} test states, ") +
                              string.Create(c, $"reads the KAN's edge as {fit.Form}; its sign agrees with the KAN's on {fit.Agreement:P2} of them. ") +
                              "The same fit to the data's own labels shows where the finite chains put the edge:");
                sb.AppendLine();
                sb.AppendLine("| coefficient | KAN | error vs analytic | data labels | error vs analytic | analytic |");
                sb.AppendLine("|---|---:|---:|---:|---:|---:|");
                foreach (var (name, value) in fit.Coefficients)
                {
                    double target = fit.Target[name], data = fit.DataCoefficients[name];
                    string Error(double v) => target != 0 ? (Math.Abs(v - target) / Math.Abs(target)).ToString("P2", c) : $"|{v:G3}| (absolute)";
                    sb.AppendLine(c, $"| {name} | {value:G5} | {Error(value)} | {data:G5} | {Error(data)} | {target:G5} |");
                }
            }
            if (r.Formula is { } f)
            {
                sb.AppendLine();
                sb.AppendLine(c, $"## {e.Family.Name}: extracted formula");
                sb.AppendLine();
                sb.AppendLine($"Pruned edges: {(r.PrunedEdges.Count == 0 ? "none" : string.Join(", ", r.PrunedEdges))}. Snapped: " +
                                 string.Join("; ", r.Snapped.Select(s => string.Create(c, $"{s.Edge} {s.Function} (R² {s.R2:F4})"))) + ".");
                sb.AppendLine();
                sb.AppendLine("logit = " + f.Text);
                sb.AppendLine();
                sb.AppendLine(c, $"Sign of the formula on the test states: {f.TestAccuracy:P2}.");
                if (f.Monomials.Count > 0)
                {
                    sb.AppendLine();
                    sb.AppendLine(c, $"Expanded (relative residual {f.ExpansionResidual:E1}), scaled to a unit αE coefficient, monomials with |coefficient| ≥ 1e-3:");
                    sb.AppendLine();
                    sb.AppendLine(string.Join(" + ", f.Monomials.Where(m => Math.Abs(m.Coefficient) >= 1e-3).Select(m => string.Create(c, $"({m.Coefficient:G4})·{m.Text}"))) + " = 0");
                }
            }
        }
        return sb.ToString();
    }

    private static string Percent(double value) => double.IsNaN(value) ? "—" : value.ToString("P2", CultureInfo.InvariantCulture);

    private static Options Parse(string[] args, out bool help)
    {
        string output = Path.Combine("results", "anderson");
        string? cache = null;
        IReadOnlyList<string>? only = null;
        bool quick = false, quiet = false;
        help = false;
        var known = new[] { "mosaic-k2", "mosaic-k3", "gaam", "maam" };
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" or "-o": output = Value(args, ref i); break;
                case "--cache": cache = Value(args, ref i); break;
                case "--only":
                    only = Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    foreach (var name in only)
                        if (!known.Contains(name)) throw new UsageException($"--only: unknown family '{name}' (known: {string.Join(", ", known)})");
                    break;
                case "--quick": quick = true; break;
                case "--quiet" or "-q": quiet = true; break;
                case "--help" or "-h": help = true; break;
                default: throw new UsageException($"unknown argument '{args[i]}' for reproduce anderson");
            }
        }
        return new Options(output, cache, only, quick, quiet);
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"option '{args[i]}' needs a value");
        return args[++i];
    }
}
