using System.Globalization;
using System.Text;
using Kan.Pde.Core.Runtime;
using Kan.Pde.Runner.Bench;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>bench [--quick] [--threads N] [--device cpu|cuda] [--output DIR]</c>: times loss + gradient evaluations
/// (forward and reverse mode), L-BFGS and Adam steps and peak memory for a fixed list of networks on the
/// pykan Poisson tutorial problem; prints a table and writes <c>bench.csv</c> and <c>bench.md</c>.
/// </summary>
public static class BenchCommand
{
    /// <summary>CSV file name.</summary>
    public const string CsvFile = "bench.csv";

    /// <summary>Markdown file name.</summary>
    public const string MarkdownFile = "bench.md";

    /// <summary>Columns of <see cref="CsvFile"/>, in order.</summary>
    public static readonly string[] CsvColumns =
    {
        "config", "network", "parameters", "interior_points", "boundary_points", "points", "device", "dtype", "threads",
        "forward_eval_ms", "forward_eval_n", "forward_eval_ops", "forward_tensor_eval_ms", "forward_tensor_eval_n", "forward_tensor_eval_ops", "reverse_eval_ms", "reverse_eval_n", "forward_speedup",
        "lbfgs_step_ms", "lbfgs_step_n", "lbfgs_evals_per_step", "adam_step_ms", "adam_step_n",
        "peak_rss_mib", "rss_increase_mib", "peak_gpu_mib", "matched_mlp", "matched_mlp_parameters", "matched_mlp_eval_ms", "kan_over_mlp", "notes",
    };

    /// <summary>Every configuration, smallest first (so memory increases are less masked).</summary>
    public static IReadOnlyList<BenchConfig> AllConfigs { get; } = new[]
    {
        new BenchConfig("kan-2-2-1-g5-mesh51", true, new[] { 2, 2, 1 }, 5, BenchPoints.Mesh(51)) { Remark = "pykan tutorial network (cubic, G=5)" },
        new BenchConfig("kan-2-2-1-g20-k5-mesh51", true, new[] { 2, 2, 1 }, 20, BenchPoints.Mesh(51), Order: 5)
            { Remark = "poisson-2d.yaml's last stage (quintic, G=20)" },
        new BenchConfig("kan-2-2-1-g20-mesh51", true, new[] { 2, 2, 1 }, 20, BenchPoints.Mesh(51)),
        new BenchConfig("mlp-2-20-20-1-mesh51", false, new[] { 2, 20, 20, 1 }, 0, BenchPoints.Mesh(51)),
        new BenchConfig("kan-2-10-1-g20-10k", true, new[] { 2, 10, 1 }, 20, BenchPoints.Random(10_000)),
        new BenchConfig("mlp-2-100-100-100-1-10k", false, new[] { 2, 100, 100, 100, 1 }, 0, BenchPoints.Random(10_000)),
        new BenchConfig("kan-2-32-32-1-g5-100k", true, new[] { 2, 32, 32, 1 }, 5, BenchPoints.Random(100_000)),
        new BenchConfig("kan-2-32-32-1-g5-1m", true, new[] { 2, 32, 32, 1 }, 5, BenchPoints.Random(1_000_000)) { AdamOnly = true },
    };

    /// <summary>The configurations of a full run: all but the 1e6-point one on the CPU (minutes per step there).</summary>
    public static IReadOnlyList<BenchConfig> FullConfigs(bool gpu) =>
        gpu ? AllConfigs : AllConfigs.Where(c => c.Points.Interior <= 100_000).ToArray();

    /// <summary>The configurations of <c>--quick</c>.</summary>
    public static IReadOnlyList<BenchConfig> QuickConfigs { get; } = new[] { AllConfigs[0], AllConfigs[3] };

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(BenchOptions options, TextWriter output)
    {
        if (options.HelpRequested)
        {
            output.WriteLine(BenchOptions.Usage);
            return ExitCodes.Success;
        }
        var device = new Device(options.Device ?? "cpu");
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new UsageException("--device cuda: CUDA is not available on this machine (TorchSharp backend: build with -p:TorchBackend=cuda-linux)");
        if (options.Threads is int t && t < 1) throw new UsageException("--threads must be at least 1");
        TorchRuntime.Configure(options.Threads ?? Math.Max(1, Environment.ProcessorCount));

        var dtype = options.DType switch
        {
            null or "float64" => ScalarType.Float64,
            "float32" => ScalarType.Float32,
            _ => throw new UsageException($"--dtype must be float64 or float32, got '{options.DType}'"),
        };
        var configs = options.Quick ? QuickConfigs : FullConfigs(device.type == DeviceType.CUDA);
        if (options.Only is { } only)
        {
            var names = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = names.Where(n => AllConfigs.All(c => c.Name != n)).ToArray();
            if (unknown.Length > 0)
                throw new UsageException($"--only: unknown configuration '{unknown[0]}' (known: {string.Join(", ", AllConfigs.Select(c => c.Name))})");
            configs = AllConfigs.Where(c => names.Contains(c.Name)).ToArray();
        }
        var settings = options.Quick
            ? new BenchSettings(Warmup: 1, Repeats: 3, BudgetSeconds: 5, ReverseLimitSeconds: 10, LbfgsLimitSeconds: 60)
            : new BenchSettings(Warmup: 2, Repeats: 7, BudgetSeconds: 10, ReverseLimitSeconds: 20, LbfgsLimitSeconds: 60);
        if (options.BudgetSeconds is double budget)
        {
            if (!(budget > 0) || !double.IsFinite(budget)) throw new UsageException("--budget must be a positive number of seconds");
            settings = settings with { BudgetSeconds = budget };
        }
        var machine = new MachineInfo(Environment.ProcessorCount, get_num_threads(), dtype == ScalarType.Float32 ? "float32" : "float64", device.ToString(),
            DateTime.UtcNow, System.Runtime.InteropServices.RuntimeInformation.OSDescription, BenchMeasurement.MemoryMethod, settings)
        {
            GpuName = device.type == DeviceType.CUDA ? GpuMemory.Name(device.index < 0 ? 0 : device.index) : null,
        };

        output.WriteLine($"kan-pde bench{(options.Quick ? " --quick" : "")}: {machine.Cores} cores, {machine.TorchThreads} torch threads, " +
                         $"{machine.DType}, {machine.Device}; median of up to {settings.Repeats} after {settings.Warmup} warm-up (budget {settings.BudgetSeconds:F0} s per measurement)");
        var results = new List<BenchResult>();
        var failures = new List<string>();
        foreach (var config in configs)
        {
            output.WriteLine($"  {config.Network}, {config.Points.Label} ...");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var result = BenchMeasurement.Run(config, settings, device, dtype,
                    step => output.WriteLine($"    {clock.Elapsed.TotalSeconds,6:F1} s  {step}"));
                results.Add(result);
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or OutOfMemoryException)
            {
                // A configuration too large for the device (CUDA out of memory) must not lose the others' rows.
                string reason = e.Message.Split('\n')[0];
                output.WriteLine($"    failed: {reason}");
                failures.Add($"{config.Network}, {config.Points.Label}: failed ({reason})");
            }
        }
        output.WriteLine();
        foreach (var failure in failures) output.WriteLine($"not measured: {failure}");
        output.Write(FormatTable(results));
        output.WriteLine($"memory: {machine.MemoryMethod}");

        string dir = options.Output ?? Path.Combine("results", "bench");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, CsvFile), FormatCsv(results, machine));
        File.WriteAllText(Path.Combine(dir, MarkdownFile), FormatMarkdown(results, machine)
            + string.Concat(failures.Select(f => $"- not measured: {f}\n")));
        output.WriteLine($"results: {Path.GetFullPath(dir)}");
        return ExitCodes.Success;
    }

    private sealed record MachineInfo(int Cores, int TorchThreads, string DType, string Device, DateTime Date, string Os,
        string MemoryMethod, BenchSettings Settings)
    {
        public string? GpuName { get; init; }
    }

    private static string F(double? v, string format = "F2") =>
        v is double d && double.IsFinite(d) ? d.ToString(format, CultureInfo.InvariantCulture) : "";

    private static string Points(BenchResult r) => $"{r.InteriorPoints}+{r.BoundaryPoints}";

    /// <summary>Fixed-width table for the console.</summary>
    private static string FormatTable(IReadOnlyList<BenchResult> results)
    {
        var header = new[] { "network", "params", "points", "fwd ms", "fwd ops", "fwd-tensor ms", "tensor ops", "rev ms", "rev/fwd", "L-BFGS ms", "evals", "Adam ms", "peak MiB", "GPU MiB", "matched MLP", "MLP ms", "KAN/MLP" };
        var rows = results.Select(r => new[]
        {
            r.Config.Network, r.Parameters.ToString(CultureInfo.InvariantCulture), Points(r),
            F(r.ForwardEval.Milliseconds), F(r.ForwardEval.TensorsPerCall, "F0"), r.TensorEval is { } t ? F(t.Milliseconds) : "-",
            r.TensorEval is { } to ? F(to.TensorsPerCall, "F0") : "-", r.ReverseEval is { } rev ? F(rev.Milliseconds) : "skipped", F(r.ForwardSpeedup, "F1"),
            r.LbfgsStep is { } l ? F(l.Milliseconds, "F1") : "skipped", F(r.LbfgsEvaluationsPerStep, "F1"), F(r.AdamStep.Milliseconds),
            F(r.PeakRssMiB, "F0"), r.PeakGpuMiB is { } g ? F(g, "F0") : "-",
            r.MatchedMlp is null ? "-" : $"{r.MatchedMlp.Replace(" tanh", "")} ({r.MatchedMlpParameters})",
            r.MatchedMlpEval is { } m ? F(m.Milliseconds) : "-", r.KanOverMlp is { } k ? F(k, "F1") : "-",
        }).ToList();
        var widths = header.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) =>
            sb.AppendLine(string.Join("  ", cells.Select((s, c) => c is 0 or 14 ? s.PadRight(widths[c]) : s.PadLeft(widths[c]))).TrimEnd());
        Line(header);
        sb.AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var r in rows) Line(r);
        foreach (var r in results.Where(r => r.Notes.Length > 0)) sb.AppendLine($"note ({r.Config.Network}, {r.Config.Points.Label}): {r.Notes}");
        return sb.ToString();
    }

    private static string Csv(string s) => s.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>One header row and one row per configuration; empty cells where nothing was measured.</summary>
    private static string FormatCsv(IReadOnlyList<BenchResult> results, MachineInfo machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(",", CsvColumns));
        foreach (var r in results)
        {
            var cells = new[]
            {
                r.Config.Name, r.Config.Network, r.Parameters.ToString(CultureInfo.InvariantCulture),
                r.InteriorPoints.ToString(CultureInfo.InvariantCulture), r.BoundaryPoints.ToString(CultureInfo.InvariantCulture),
                r.Config.Points.Label, machine.Device, machine.DType, machine.TorchThreads.ToString(CultureInfo.InvariantCulture),
                F(r.ForwardEval.Milliseconds, "F4"), r.Config.AdamOnly ? "" : r.ForwardEval.Count.ToString(CultureInfo.InvariantCulture),
                r.Config.AdamOnly ? "" : F(r.ForwardEval.TensorsPerCall, "F1"),
                F(r.TensorEval?.Milliseconds, "F4"), r.TensorEval?.Count.ToString(CultureInfo.InvariantCulture) ?? "", F(r.TensorEval?.TensorsPerCall, "F1"),
                F(r.ReverseEval?.Milliseconds, "F4"), r.ReverseEval?.Count.ToString(CultureInfo.InvariantCulture) ?? "", F(r.ForwardSpeedup, "F3"),
                F(r.LbfgsStep?.Milliseconds, "F4"), r.LbfgsStep?.Count.ToString(CultureInfo.InvariantCulture) ?? "", F(r.LbfgsEvaluationsPerStep, "F2"),
                F(r.AdamStep.Milliseconds, "F4"), r.AdamStep.Count.ToString(CultureInfo.InvariantCulture),
                F(r.PeakRssMiB, "F1"), F(r.RssIncreaseMiB, "F1"), F(r.PeakGpuMiB, "F1"), r.MatchedMlp ?? "",
                r.MatchedMlpParameters?.ToString(CultureInfo.InvariantCulture) ?? "", F(r.MatchedMlpEval?.Milliseconds, "F4"),
                F(r.KanOverMlp, "F3"), r.Notes,
            };
            sb.AppendLine(string.Join(",", cells.Select(Csv)));
        }
        return sb.ToString();
    }

    private static string FormatMarkdown(IReadOnlyList<BenchResult> results, MachineInfo machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# kan-pde bench");
        sb.AppendLine();
        sb.AppendLine($"- date: {machine.Date:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine($"- machine: {machine.Cores} logical cores, {machine.Os}{(machine.GpuName is null ? "" : $", {machine.GpuName}")}");
        sb.AppendLine($"- torch: {machine.TorchThreads} intra-op threads, dtype {machine.DType}, device {machine.Device}");
        sb.AppendLine($"- problem: Poisson on [-1,1]², u* = sin(πx)sin(πy), loss = 0.01·mean(Δu−f)² + mean(u−g)² (backward included)");
        sb.AppendLine($"- timing: Stopwatch, median of up to {machine.Settings.Repeats} calls after {machine.Settings.Warmup} warm-up, " +
                      $"at most ~{machine.Settings.BudgetSeconds:F0} s per measurement (n in bench.csv); L-BFGS: pykan settings, ≤ 20 iterations per step");
        sb.AppendLine("- fwd: forward (Taylor) mode as it runs by default — on the CPU the fused host kernel for KANs, on a GPU the tensor " +
                      "formulation; fwd-tensor: the tensor formulation on the CPU; rev: nested reverse-mode autograd (the reference)");
        sb.AppendLine($"- memory: {machine.MemoryMethod}" + (machine.GpuName is null ? "" : "; GPU MiB: peak device memory in use sampled with NVML (includes the caching allocator's reserve, cumulative over configurations)"));
        sb.AppendLine("- ops: tensors created from managed code per forward-mode loss + gradient evaluation (one per operation, views " +
                      "included; the backward pass inside libtorch is not counted): the per-operation overhead that bounds small problems, " +
                      "on a GPU one kernel launch each");
        sb.AppendLine("- matched MLP: tanh MLP with the KAN's depth and about its parameter count; KAN/MLP = ratio of forward-mode loss+gradient times");
        sb.AppendLine();
        sb.AppendLine("| network | params | points (int+bnd) | fwd ms/eval | fwd ops | fwd-tensor ms/eval | tensor ops | rev ms/eval | rev/fwd | L-BFGS ms/step | evals/step | Adam ms/step | peak RSS MiB | GPU MiB | matched MLP | MLP ms/eval | KAN/MLP |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var r in results)
            sb.AppendLine($"| {r.Config.Network} | {r.Parameters} | {Points(r)} | {F(r.ForwardEval.Milliseconds)} | {F(r.ForwardEval.TensorsPerCall, "F0")} | " +
                          $"{(r.TensorEval is { } t ? F(t.Milliseconds) : "–")} | {(r.TensorEval is { } to ? F(to.TensorsPerCall, "F0") : "–")} | " +
                          $"{(r.ReverseEval is { } rev ? F(rev.Milliseconds) : "skipped")} | {F(r.ForwardSpeedup, "F1")} | " +
                          $"{(r.LbfgsStep is { } l ? F(l.Milliseconds, "F1") : "skipped")} | {F(r.LbfgsEvaluationsPerStep, "F1")} | {F(r.AdamStep.Milliseconds)} | " +
                          $"{F(r.PeakRssMiB, "F0")} | {(r.PeakGpuMiB is { } g ? F(g, "F0") : "–")} | " +
                          $"{(r.MatchedMlp is null ? "–" : $"{r.MatchedMlp} ({r.MatchedMlpParameters})")} | " +
                          $"{(r.MatchedMlpEval is { } m ? F(m.Milliseconds) : "–")} | {(r.KanOverMlp is { } k ? F(k, "F1") : "–")} |");
        var notes = results.Where(r => r.Notes.Length > 0).ToList();
        if (notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var r in notes) sb.AppendLine($"- {r.Config.Network}, {r.Config.Points.Label}: {r.Notes}");
        }
        return sb.ToString();
    }
}

/// <summary>Options of the bench command.</summary>
public sealed record BenchOptions(bool Quick, int? Threads, string? Device, string? Output)
{
    /// <summary>float64 (default) or float32 (<c>--dtype</c>).</summary>
    public string? DType { get; init; }

    /// <summary>Seconds per measurement (<c>--budget</c>), instead of the default.</summary>
    public double? BudgetSeconds { get; init; }

    /// <summary>Comma-separated configuration names to run instead of the default list (<c>--only</c>).</summary>
    public string? Only { get; init; }

    /// <summary>True for <c>bench --help</c>.</summary>
    public bool HelpRequested { get; init; }

    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde bench [--quick] [--threads N] [--device cpu|cuda] [--dtype float64|float32] [--budget S] [--output DIR] [--only NAMES]
          --quick        only the two small configurations, few repeats (for CI)
          --threads N    torch intra-op threads (default: all logical cores)
          --device D     cpu (default), cuda or cuda:N (a GPU run adds KAN [2,32,32,1] at 1e6 points, Adam only)
          --dtype T      float64 (default) or float32
          --budget S     seconds per measurement (default 10, --quick 5): repeats stop once it is spent
          --output DIR   where bench.csv and bench.md go (default: results/bench)
          --only NAMES   comma-separated configuration names (as in bench.csv's 'config' column)
        """;
}
