using System.Diagnostics;
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Poisson;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Bench;

/// <summary>How the interior points of a configuration are sampled.</summary>
/// <param name="MeshPerAxis">Points per axis of a mesh with edges (and the boundary mesh per edge), or 0.</param>
/// <param name="RandomCount">Uniform random interior points (boundary: 4·√N random points), or 0.</param>
public sealed record BenchPoints(int MeshPerAxis, int RandomCount)
{
    /// <summary>A 2-D mesh of n × n interior points and n points per edge.</summary>
    public static BenchPoints Mesh(int n) => new(n, 0);

    /// <summary>N uniform random interior points.</summary>
    public static BenchPoints Random(int n) => new(0, n);

    /// <summary>Number of interior points.</summary>
    public int Interior => MeshPerAxis > 0 ? MeshPerAxis * MeshPerAxis : RandomCount;

    /// <summary>Short label, e.g. "mesh 51x51" or "random 10000".</summary>
    public string Label => MeshPerAxis > 0 ? $"mesh {MeshPerAxis}x{MeshPerAxis}" : $"random {RandomCount}";
}

/// <summary>One benchmark configuration: a network on the 2-D Poisson tutorial problem.</summary>
/// <param name="Name">Short id used in the CSV.</param>
/// <param name="IsKan">KAN (else MLP with tanh).</param>
/// <param name="Widths">Layer widths.</param>
/// <param name="Grid">KAN grid size G (ignored for MLPs).</param>
/// <param name="Points">Collocation points.</param>
/// <param name="Order">KAN spline order k (ignored for MLPs).</param>
public sealed record BenchConfig(string Name, bool IsKan, int[] Widths, int Grid, BenchPoints Points, int Order = 3)
{
    /// <summary>Architecture label.</summary>
    public string Network => IsKan
        ? $"KAN [{string.Join(",", Widths)}] G={Grid}{(Order == 3 ? "" : $" k={Order}")}"
        : $"MLP [{string.Join(",", Widths)}] tanh";

    /// <summary>Free-text remark shown with the row (e.g. which spec it mirrors).</summary>
    public string Remark { get; init; } = "";

    /// <summary>Only the Adam step is timed (configurations whose other measurements would take too long).</summary>
    public bool AdamOnly { get; init; }
}

/// <summary>Repeat counts and time limits of a run.</summary>
/// <param name="Warmup">Untimed calls before the timed ones.</param>
/// <param name="Repeats">Timed calls (the median is reported).</param>
/// <param name="BudgetSeconds">Per measurement: stop repeating once this much time was spent (at least one timed call).</param>
/// <param name="ReverseLimitSeconds">Reverse mode is skipped when a probe at a tenth of the points predicts more than this per evaluation.</param>
/// <param name="LbfgsLimitSeconds">L-BFGS is skipped when 25 forward-mode evaluations would take longer than this.</param>
public sealed record BenchSettings(int Warmup, int Repeats, double BudgetSeconds, double ReverseLimitSeconds, double LbfgsLimitSeconds);

/// <summary>Median of timed calls.</summary>
/// <param name="Milliseconds">Median wall time of one call.</param>
/// <param name="Count">Number of timed calls.</param>
public sealed record Timing(double Milliseconds, int Count)
{
    /// <summary>
    /// Tensors that TorchSharp created per timed call (mean): one per operation issued from managed code, views
    /// included. A measure of per-operation overhead, which bounds small problems on a GPU (one kernel launch each);
    /// the backward pass runs inside libtorch and is not counted.
    /// </summary>
    public double TensorsPerCall { get; init; } = double.NaN;
}

/// <summary>Everything measured for one configuration (times in ms, memory in MiB; null = not measured).</summary>
public sealed record BenchResult
{
    public required BenchConfig Config { get; init; }
    public required long Parameters { get; init; }
    public required int InteriorPoints { get; init; }
    public required int BoundaryPoints { get; init; }
    public required Timing ForwardEval { get; init; }
    /// <summary>Forward mode through the tensor formulation (CPU KANs, where forward mode otherwise runs the fused kernel).</summary>
    public Timing? TensorEval { get; init; }
    public Timing? ReverseEval { get; init; }
    public Timing? LbfgsStep { get; init; }
    public required double LbfgsEvaluationsPerStep { get; init; }
    public required Timing AdamStep { get; init; }
    public required double PeakRssMiB { get; init; }
    public required double RssIncreaseMiB { get; init; }
    /// <summary>Peak GPU memory in use (NVML), MiB; null on the CPU.</summary>
    public double? PeakGpuMiB { get; init; }
    public string? MatchedMlp { get; init; }
    public long? MatchedMlpParameters { get; init; }
    public Timing? MatchedMlpEval { get; init; }
    public string Notes { get; init; } = "";

    /// <summary>Reverse ms / forward ms per loss + gradient evaluation.</summary>
    public double? ForwardSpeedup => ReverseEval is { } r ? r.Milliseconds / ForwardEval.Milliseconds : null;

    /// <summary>KAN ms / matched-MLP ms per forward-mode loss + gradient evaluation.</summary>
    public double? KanOverMlp => MatchedMlpEval is { } m ? ForwardEval.Milliseconds / m.Milliseconds : null;
}

/// <summary>
/// The timing loops of <c>kan-pde bench</c> (no console or file output here). The problem is the pykan
/// Poisson tutorial: Δu = f on [-1, 1]², u* = sin(πx) sin(πy), u = 0 on the boundary,
/// loss = 0.01·mean(Δu − f)² + mean(u − g)².
/// </summary>
public static class BenchMeasurement
{
    /// <summary>Weight of the residual term (pykan's tutorial).</summary>
    public const double PdeWeight = 0.01;

    /// <summary>The tutorial's loss weights: α = <see cref="PdeWeight"/> on the residual, 1 on the boundary.</summary>
    private static readonly LossWeights Weights = new(new Dictionary<string, double> { ["pde"] = PdeWeight });

    /// <summary>How peak memory is measured on this platform (for reports).</summary>
    public static string MemoryMethod => PeakMemory.CanReset
        ? "peak RSS (managed + native) during the configuration: VmHWM reset per configuration via /proc/self/clear_refs; " +
          "'+RSS' = that peak minus the RSS at the configuration's start (freed heap kept from earlier configurations is reused, so it is a lower bound); " +
          "the CPU tensor-formulation timing runs last with its own peak (in the notes)"
        : "process peak working set since start (cumulative over configurations; /proc/self/clear_refs unavailable)";

    /// <summary>Runs one configuration; <paramref name="progress"/> receives short status lines.</summary>
    public static BenchResult Run(BenchConfig config, BenchSettings settings, Device device, ScalarType dtype, Action<string>? progress = null)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        PeakMemory.Reset();
        double startRss = PeakMemory.CurrentMiB();
        using var gpuMemory = device.type == DeviceType.CUDA ? GpuMemory.Start(device.index < 0 ? 0 : device.index) : null;
        using var scope = NewDisposeScope();

        var problem = CreateProblem();
        var points = CreatePoints(config.Points, dtype, device);
        using var network = CreateNetwork(config, dtype, device, seed: 1);
        var notes = new List<string>();
        if (config.Remark.Length > 0) notes.Add(config.Remark);

        if (config.AdamOnly)
        {
            progress?.Invoke("Adam steps");
            var adamOnly = TimeAdam(network, problem, points, settings, device);
            notes.Add("Adam step only");
            notes.Add(PhaseBreakdown(network, problem, points, settings, device));
            double peakRss = PeakMemory.PeakMiB();
            return new BenchResult
            {
                Config = config, Parameters = network.ParameterCount,
                InteriorPoints = (int)points.Interior.shape[0], BoundaryPoints = (int)points.Boundary.shape[0],
                ForwardEval = adamOnly with { Milliseconds = double.NaN }, AdamStep = adamOnly, LbfgsEvaluationsPerStep = double.NaN,
                PeakRssMiB = peakRss, RssIncreaseMiB = Math.Max(0, peakRss - startRss), PeakGpuMiB = gpuMemory?.PeakMiB,
                Notes = string.Join("; ", notes),
            };
        }

        progress?.Invoke("forward-mode loss + gradient");
        var forward = TimeEvaluations(network, problem, points, new ForwardModeEvaluator(network), settings, device);

        Timing? reverse = null;
        if (ShouldSkipReverse(config, settings, problem, dtype, device, out var reason))
        {
            notes.Add(reason);
        }
        else
        {
            progress?.Invoke("reverse-mode loss + gradient");
            reverse = TimeEvaluations(network, problem, points, new ReverseModeEvaluator(network), settings, device);
            if (reason.Length > 0) notes.Add(reason);
        }

        Timing? lbfgs = null;
        double evalsPerStep = double.NaN;
        double predictedStep = LbfgsOptions.Pykan.MaxEvaluations * forward.Milliseconds;
        if (predictedStep > settings.LbfgsLimitSeconds * 1000)
        {
            notes.Add($"L-BFGS skipped: up to {LbfgsOptions.Pykan.MaxEvaluations} evaluations per step × {forward.Milliseconds:F0} ms ≈ {predictedStep / 1000:F0} s per step > {settings.LbfgsLimitSeconds:F0} s limit");
        }
        else
        {
            progress?.Invoke("L-BFGS steps");
            (lbfgs, evalsPerStep) = TimeLbfgs(network, problem, points, settings, device);
        }
        progress?.Invoke("Adam steps");
        var adam = TimeAdam(network, problem, points, settings, device);

        string? mlpLabel = null;
        long? mlpParams = null;
        Timing? mlpEval = null;
        if (config.IsKan)
        {
            var widths = MatchedMlpWidths(config.Widths, network.ParameterCount);
            var mlpConfig = new BenchConfig(config.Name + "-mlp", false, widths, 0, config.Points);
            using var mlp = CreateNetwork(mlpConfig, dtype, device, seed: 2);
            mlpLabel = mlpConfig.Network;
            mlpParams = mlp.ParameterCount;
            progress?.Invoke($"matched {mlpLabel} ({mlp.ParameterCount} parameters)");
            mlpEval = TimeEvaluations(mlp, problem, points, new ForwardModeEvaluator(mlp), settings, device);
        }

        double peak = PeakMemory.PeakMiB();

        // On the CPU a KAN's forward mode runs the fused host kernel; the tensor formulation (what runs on GPUs) is
        // timed too, last and with its own memory peak, so the two can be compared on one machine.
        Timing? tensorEval = null;
        if (network is KanNetwork kan && kan.Layers.All(l => l.CanUseFusedKernel))
        {
            progress?.Invoke("forward-mode loss + gradient, tensor formulation");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            PeakMemory.Reset();
            double before = PeakMemory.CurrentMiB();
            foreach (var layer in kan.Layers) layer.UseHostKernel = false;
            try { tensorEval = TimeEvaluations(network, problem, points, new ForwardModeEvaluator(network), settings, device); }
            finally { foreach (var layer in kan.Layers) layer.UseHostKernel = true; }
            notes.Add($"tensor formulation: peak RSS {PeakMemory.PeakMiB():F0} MiB (+{Math.Max(0, PeakMemory.PeakMiB() - before):F0})");
        }

        return new BenchResult
        {
            Config = config,
            Parameters = network.ParameterCount,
            InteriorPoints = (int)points.Interior.shape[0],
            BoundaryPoints = (int)points.Boundary.shape[0],
            ForwardEval = forward,
            TensorEval = tensorEval,
            ReverseEval = reverse,
            LbfgsStep = lbfgs,
            LbfgsEvaluationsPerStep = evalsPerStep,
            AdamStep = adam,
            PeakRssMiB = peak,
            RssIncreaseMiB = Math.Max(0, peak - startRss),
            PeakGpuMiB = gpuMemory?.PeakMiB,
            MatchedMlp = mlpLabel,
            MatchedMlpParameters = mlpParams,
            MatchedMlpEval = mlpEval,
            Notes = string.Join("; ", notes),
        };
    }

    /// <summary>
    /// Where the time of one evaluation goes, for configurations that only time Adam: the whole loss + gradient, the
    /// jet without gradients, and each KAN layer's jet without gradients (the remainder is the backward pass).
    /// </summary>
    private static string PhaseBreakdown(INetwork network, IPdeProblem problem, CollocationSet points, BenchSettings settings, Device device)
    {
        var evaluator = new ForwardModeEvaluator(network);
        var whole = TimeEvaluations(network, problem, points, evaluator, settings, device);
        var jet = Measure(() =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            evaluator.Evaluate(points.Interior, FieldNeeds.SecondDiagonal);
        }, settings, device);
        var text = $"loss+gradient {whole.Milliseconds:F1} ms, jet alone (no gradients) {jet.Milliseconds:F1} ms";
        if (network is KanNetwork kan)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = Jet.Input(points.Interior, 2);
            var perLayer = new List<string>();
            foreach (var layer in kan.Layers)
            {
                var current = input;
                var t = Measure(() =>
                {
                    using var inner = NewDisposeScope();
                    layer.Propagate(current);
                }, settings with { Repeats = 3 }, device);
                perLayer.Add($"{t.Milliseconds:F1}");
                input = layer.Propagate(current);
            }
            text += $", per layer {string.Join(" / ", perLayer)} ms";
        }
        return text;
    }

    /// <summary>
    /// MLP widths with the KAN's depth ([2, h, …, h, 1], as many hidden layers as the KAN) and the parameter
    /// count closest to <paramref name="target"/>.
    /// </summary>
    public static int[] MatchedMlpWidths(IReadOnlyList<int> kanWidths, long target)
    {
        int hidden = Math.Max(1, kanWidths.Count - 2);
        int[] Widths(int h) => new[] { kanWidths[0] }.Concat(Enumerable.Repeat(h, hidden)).Append(kanWidths[^1]).ToArray();
        long Count(int h)
        {
            var w = Widths(h);
            long p = 0;
            for (int l = 0; l + 1 < w.Length; l++) p += (long)(w[l] + 1) * w[l + 1];
            return p;
        }
        int best = 1;
        for (int h = 1; h <= 4096; h++)
        {
            if (Math.Abs(Count(h) - target) < Math.Abs(Count(best) - target)) best = h;
            if (Count(h) > target) break;
        }
        return Widths(best);
    }

    private static PoissonProblem CreateProblem()
    {
        var variables = new[] { "x", "y" };
        var exact = ExpressionParser.Parse("sin(pi*x)*sin(pi*y)", variables);
        var zero = ExpressionParser.Parse("0", variables);
        var domain = new Box(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) });
        return new PoissonProblem(domain, exact, null, new[] { ("all", (Expr?)zero) });
    }

    private static CollocationSet CreatePoints(BenchPoints spec, ScalarType dtype, Device device)
    {
        var domain = new Box(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) });
        var generator = new Generator(7919);
        Tensor interior;
        BoundaryPoints boundary;
        if (spec.MeshPerAxis > 0)
        {
            interior = domain.MeshInterior(new[] { spec.MeshPerAxis, spec.MeshPerAxis }, dtype, device);
            boundary = domain.MeshBoundary(spec.MeshPerAxis, dtype, device);
        }
        else
        {
            interior = domain.RandomInterior(spec.RandomCount, dtype, device, generator);
            boundary = domain.RandomBoundary(4 * (int)Math.Ceiling(Math.Sqrt(spec.RandomCount)), dtype, device, generator);
        }
        return new CollocationSet(interior, boundary, domain);
    }

    private static INetwork CreateNetwork(BenchConfig config, ScalarType dtype, Device device, int seed)
    {
        var generator = new Generator((ulong)seed);
        return config.IsKan
            ? new KanNetwork(config.Widths, new KanOptions(config.Grid, config.Order), dtype, device, generator)
            : new Mlp(config.Widths, Activation.Tanh, dtype, device, generator);
    }

    /// <summary>Drop gradients (as the trainer does), loss terms, weighted total, backward; returns the detached total.</summary>
    private static Func<Tensor> Closure(INetwork network, IPdeProblem problem, CollocationSet points, IFieldEvaluator evaluator) => () =>
    {
        foreach (var p in network.TrainableParameters) p.grad = null;
        using var scope = NewDisposeScope();
        var terms = problem.Losses(evaluator, points);
        var total = LossTerm.Total(terms, Weights);
        total.backward();
        return total.detach().MoveToOuterDisposeScope();
    };

    private static Timing TimeEvaluations(INetwork network, IPdeProblem problem, CollocationSet points, IFieldEvaluator evaluator,
        BenchSettings settings, Device device)
    {
        var closure = Closure(network, problem, points, evaluator);
        return Measure(() =>
        {
            using var scope = NewDisposeScope();
            closure();
        }, settings, device);
    }

    private static (Timing Step, double EvaluationsPerStep) TimeLbfgs(INetwork network, IPdeProblem problem, CollocationSet points,
        BenchSettings settings, Device device)
    {
        using var optimizer = new Lbfgs(network.TrainableParameters, LbfgsOptions.Pykan);
        var closure = Closure(network, problem, points, new ForwardModeEvaluator(network));
        int timedSteps = 0, timedEvaluations = 0;
        var timing = Measure(() => optimizer.Step(closure), settings, device, (timed, before, after) =>
        {
            if (!timed) return;
            timedSteps++;
            timedEvaluations += after - before;
        }, () => optimizer.Evaluations);
        return (timing, timedSteps > 0 ? (double)timedEvaluations / timedSteps : double.NaN);
    }

    private static Timing TimeAdam(INetwork network, IPdeProblem problem, CollocationSet points, BenchSettings settings, Device device)
    {
        using var optimizer = new AdamOptimizer(network.TrainableParameters, new AdamOptions());
        var closure = Closure(network, problem, points, new ForwardModeEvaluator(network));
        return Measure(() => optimizer.Step(closure), settings, device);
    }

    /// <summary>
    /// Reverse mode at many points can take minutes per evaluation: from 20,000 points on, one evaluation at a
    /// tenth of the points is timed first and reverse mode is skipped when ten times that exceeds the limit.
    /// </summary>
    private static bool ShouldSkipReverse(BenchConfig config, BenchSettings settings, IPdeProblem problem, ScalarType dtype,
        Device device, out string reason)
    {
        reason = "";
        if (config.Points.Interior < 20_000) return false;
        var probePoints = config.Points.MeshPerAxis > 0
            ? BenchPoints.Mesh((int)Math.Ceiling(config.Points.MeshPerAxis / Math.Sqrt(10)))
            : BenchPoints.Random(config.Points.RandomCount / 10);
        using var scope = NewDisposeScope();
        var points = CreatePoints(probePoints, dtype, device);
        using var network = CreateNetwork(config, dtype, device, seed: 1);
        var closure = Closure(network, problem, points, new ReverseModeEvaluator(network));
        var probe = Measure(() =>
        {
            using var inner = NewDisposeScope();
            closure();
        }, settings with { Warmup = 1, Repeats = 1, BudgetSeconds = settings.ReverseLimitSeconds }, device);
        double predicted = probe.Milliseconds * config.Points.Interior / probePoints.Interior;
        bool skip = predicted > settings.ReverseLimitSeconds * 1000;
        reason = $"reverse probe at {probePoints.Interior} points: {probe.Milliseconds:F0} ms/eval, ~{predicted:F0} ms predicted at {config.Points.Interior}" +
                 (skip ? $" > {settings.ReverseLimitSeconds:F0} s limit, reverse skipped" : "");
        return skip;
    }

    /// <summary>
    /// Warm-up calls, then timed calls until the repeat count or the time budget is reached (at least one timed
    /// call); the median is returned. CUDA work is synchronized before each clock read.
    /// </summary>
    private static Timing Measure(Action action, BenchSettings settings, Device device,
        Action<bool, int, int>? observe = null, Func<int>? counter = null)
    {
        var total = Stopwatch.StartNew();
        var times = new List<double>();
        for (int i = 0; i < settings.Warmup && total.Elapsed.TotalSeconds < settings.BudgetSeconds; i++)
        {
            int before = counter?.Invoke() ?? 0;
            var clock = Stopwatch.StartNew();
            action();
            Synchronize(device);
            if (i == 0 && clock.Elapsed.TotalSeconds > settings.BudgetSeconds)
            {
                // One call exceeds the whole budget: it is the only sample (warm-up effects are small at that size).
                observe?.Invoke(true, before, counter?.Invoke() ?? 0);
                return new Timing(clock.Elapsed.TotalMilliseconds, 1);
            }
            observe?.Invoke(false, before, counter?.Invoke() ?? 0);
        }
        long tensorsBefore = TensorsCreated();
        while (times.Count < Math.Max(1, settings.Repeats) && (times.Count == 0 || total.Elapsed.TotalSeconds < settings.BudgetSeconds))
        {
            int before = counter?.Invoke() ?? 0;
            Synchronize(device);
            var clock = Stopwatch.StartNew();
            action();
            Synchronize(device);
            times.Add(clock.Elapsed.TotalMilliseconds);
            observe?.Invoke(true, before, counter?.Invoke() ?? 0);
        }
        double tensors = (double)(TensorsCreated() - tensorsBefore) / times.Count;
        times.Sort();
        double median = times.Count % 2 == 1 ? times[times.Count / 2] : 0.5 * (times[times.Count / 2 - 1] + times[times.Count / 2]);
        return new Timing(median, times.Count) { TensorsPerCall = tensors };
    }

    /// <summary>Tensors created on this thread so far (TorchSharp counts them per thread).</summary>
    private static long TensorsCreated()
    {
        var stats = DisposeScopeManager.Statistics.TensorStatistics;
        return stats.CreatedInScopeCount + stats.CreatedOutsideScopeCount;
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }
}

/// <summary>Resident memory of this process from /proc (Linux), with a resettable peak.</summary>
internal static class PeakMemory
{
    private static readonly Lazy<bool> Resettable = new(() =>
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return ReadStatusKiB("VmHWM") is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException) { return false; }
    });

    /// <summary>True where the peak can be reset per configuration.</summary>
    public static bool CanReset => Resettable.Value;

    /// <summary>Resets the peak (VmHWM) to the current RSS where possible.</summary>
    public static void Reset()
    {
        if (CanReset) File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>Current RSS in MiB.</summary>
    public static double CurrentMiB() => ReadStatusKiB("VmRSS") is long k ? k / 1024.0 : Current().WorkingSet64 / 1048576.0;

    /// <summary>Peak RSS since the last reset (or process start) in MiB.</summary>
    public static double PeakMiB() => CanReset && ReadStatusKiB("VmHWM") is long k ? k / 1024.0 : Current().PeakWorkingSet64 / 1048576.0;

    private static Process Current()
    {
        var p = Process.GetCurrentProcess();
        p.Refresh();
        return p;
    }

    private static long? ReadStatusKiB(string key)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/status")) return null;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(key + ":", StringComparison.Ordinal)) continue;
            var parts = line[(key.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return long.TryParse(parts[0], out long kib) ? kib : null;
        }
        return null;
    }
}
