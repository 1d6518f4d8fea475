using System.Globalization;
using System.Text;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Comparison;

/// <summary>The text of <c>comparison.md</c>: setup, one table row per model, per-field errors, scaling slopes.</summary>
internal static class ComparisonMarkdownText
{
    public static string Format(ComparisonResults results, string command)
    {
        var spec = results.Spec;
        var shared = spec.Shared;
        var sb = new StringBuilder();
        sb.Append($"# Comparison: {shared.Name}\n\n");
        sb.Append($"- command: `{command}`\n");
        sb.Append($"- problem: {shared.Problem.Family} on {string.Join(" × ", shared.Problem.Domain.Select(a => $"{a.Name} ∈ [{G(a.Lo)}, {G(a.Hi)}]"))} ");
        sb.Append($"(spec `{Path.GetFileName(shared.SourceFile)}`)\n");
        sb.Append($"- collocation: interior {Sampler(shared.Collocation.Interior)}, boundary {Sampler(shared.Collocation.Boundary)}; ");
        sb.Append($"loss weights {(shared.Loss.Weights.Count == 0 ? "all 1" : string.Join(", ", shared.Loss.Weights.Select(w => $"{w.Key} {G(w.Value)}")))}\n");
        sb.Append("- schedule (shared; `grid` and `grid_update_at` act on KANs only, MLPs run the same stages and steps):\n");
        for (int i = 0; i < shared.Schedule.Count; i++) sb.Append($"  {i + 1}. {Stage(shared.Schedule[i])}\n");
        if (shared.Restarts is { } r) sb.Append($"- multi-start: {r.Candidates} candidates × {r.Steps} steps\n");
        sb.Append($"- evaluation mesh {string.Join("×", shared.Evaluation.Points)}; {(shared.DType == TorchSharp.torch.ScalarType.Float32 ? "float32" : "float64")}");
        var device = results.Runs.FirstOrDefault(x => x.Metrics is not null)?.Metrics?.Device ?? shared.Device;
        sb.Append($" on {device}{(shared.Threads is int t ? $", {t} threads" : "")}\n\n");
        sb.Append("L²² = mean (u − u*)² and H¹² = L²² + mean |∇u − ∇u*|² on the evaluation mesh. With several seeds a cell shows ");
        sb.Append("the mean and, in brackets, the smallest and largest value; seconds are wall-clock training time on this machine ");
        sb.Append("(error tracking included).\n\n");

        sb.Append("| Model | Parameters | Seeds | Steps | Relative L2 | L²² | H¹² | Final loss | Training s | Loss evaluations |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in results.Models)
        {
            string seeds = m.Finished == m.Runs.Count ? $"{m.Runs.Count}" : $"{m.Finished} of {m.Runs.Count}";
            if (m.Finished == 0)
            {
                sb.Append($"| {m.Model.Label} | – | {seeds} | – | {Failure(m)} | | | | | |\n");
                continue;
            }
            sb.Append($"| {m.Model.Label} | {m.Parameters} | {seeds} | {m.Steps} | {E(m["relative_l2"])} | {E(m["l2_squared"])} | ");
            sb.Append($"{E(m["h1_squared"])} | {E(m["final_total_loss"])} | {F(m["training_seconds"])} | {m["loss_evaluations"].Mean:0} |\n");
        }

        if (results.Fields.Count > 1)
        {
            sb.Append("\n## Errors per field\n\n");
            PerModelTable(sb, results, results.Fields.SelectMany(f => new[] { $"rel. L2 {f}", $"L²² {f}" }),
                m => results.Fields.SelectMany(f => new[] { E(m[$"relative_l2_{f}"]), E(m[$"l2_squared_{f}"]) }));
        }

        if (results.ReferenceSets.Count > 0)
        {
            sb.Append("\n## Errors against reference data\n\n");
            sb.Append("Largest and root-mean-square difference between the trained field and each reference set at its points ");
            sb.Append("(mean over seeds, with the range in brackets).\n\n");
            PerModelTable(sb, results, results.ReferenceSets.SelectMany(set => new[] { $"max \\|Δ\\| {set}", $"RMS {set}" }),
                m => results.ReferenceSets.SelectMany(set => new[] { R(m[$"reference_max_abs_{set}"]), R(m[$"reference_rms_{set}"]) }));
        }

        if (results.Scaling.Count > 0)
        {
            sb.Append("\n## Scaling with parameter count\n\n");
            sb.Append("Points: the last step on each grid size for a KAN, the last step for an MLP (geometric mean over seeds); ");
            sb.Append("slope = least-squares exponent of error ∝ N^slope over a series' points (N = parameters).\n\n");
            sb.Append("| Series | Points | Parameters | Slope L²² | Slope H¹² |\n|---|---:|---|---:|---:|\n");
            foreach (var series in results.Scaling.Select(p => p.Series).Distinct())
            {
                var points = results.Scaling.Where(p => p.Series == series).ToArray();
                string range = points.Min(p => p.Parameters) == points.Max(p => p.Parameters)
                    ? $"{points[0].Parameters}" : $"{points.Min(p => p.Parameters)}–{points.Max(p => p.Parameters)}";
                sb.Append($"| {series} | {points.Length} | {range} | {Slope(results.FitOf(series, "l2_squared"))} | {Slope(results.FitOf(series, "h1_squared"))} |\n");
            }
        }

        sb.Append("\nFiles: `comparison.csv` (this table with mean, std, min, max of every quantity), `runs.csv` (one row per run), ");
        sb.Append("`steps.csv`, `scaling.csv`, `slopes.csv`, `error_vs_step.png`, `error_vs_parameters.png`, and each run's folder under `runs/`.\n");
        return sb.ToString();
    }

    /// <summary>A table with one row per model that has a finished run: its label, then <paramref name="cells"/>.</summary>
    private static void PerModelTable(StringBuilder sb, ComparisonResults results, IEnumerable<string> headers, Func<ModelSummary, IEnumerable<string>> cells)
    {
        var columns = headers.ToArray();
        sb.Append("| Model |").Append(string.Concat(columns.Select(h => $" {h} |"))).Append('\n');
        sb.Append("|---|").Append(string.Concat(columns.Select(_ => "---:|"))).Append('\n');
        foreach (var m in results.Models.Where(m => m.Finished > 0))
            sb.Append($"| {m.Model.Label} |").Append(string.Concat(cells(m).Select(c => $" {c} |"))).Append('\n');
    }

    private static string Failure(ModelSummary m) => m.Runs.FirstOrDefault(r => r.Failure is not null)?.Failure ?? "no run finished";

    private static string Sampler(SamplerSpec s) => s.Kind == SamplerKind.Random ? $"{s.Count} random" : $"mesh {string.Join("×", s.Points!)}";

    private static string Stage(StageSpec s)
    {
        var parts = new List<string> { $"{(s.Optimizer == OptimizerKind.Lbfgs ? "L-BFGS" : "Adam")}, {s.Steps} steps" };
        if (s.Optimizer == OptimizerKind.Adam || s.LearningRate != 1.0) parts.Add($"learning rate {G(s.LearningRate)}");
        if (s.Grid is int g) parts.Add($"grid {g}");
        if (s.GridUpdateAt.Count > 0) parts.Add($"grid updates before steps {string.Join(", ", s.GridUpdateAt)}");
        return string.Join("; ", parts);
    }

    private static string Slope(SeriesFit? fit) => fit is null ? "–" : fit.Fit.Slope.ToString("0.00", CultureInfo.InvariantCulture);

    private static string E(Spread s)
    {
        if (double.IsNaN(s.Mean)) return "–";
        string mean = s.Mean.ToString("0.00e+00", CultureInfo.InvariantCulture);
        return s.Count > 1 ? $"{mean} ({s.Min.ToString("0.0e+00", CultureInfo.InvariantCulture)}–{s.Max.ToString("0.0e+00", CultureInfo.InvariantCulture)})" : mean;
    }

    private static string R(Spread s)
    {
        if (double.IsNaN(s.Mean)) return "–";
        string mean = s.Mean.ToString("0.0000", CultureInfo.InvariantCulture);
        return s.Count > 1 ? $"{mean} ({s.Min.ToString("0.0000", CultureInfo.InvariantCulture)}–{s.Max.ToString("0.0000", CultureInfo.InvariantCulture)})" : mean;
    }

    private static string F(Spread s) => double.IsNaN(s.Mean) ? "–" : s.Mean.ToString("0.0", CultureInfo.InvariantCulture);

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
