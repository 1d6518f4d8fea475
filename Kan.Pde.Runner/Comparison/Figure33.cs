using System.Globalization;
using System.Text;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Spec;
using ScottPlot;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// The KAN paper's Fig. 3.3 (Liu et al. 2024, §3.4): Poisson with u = sin πx sin πy² on [-1, 1]². Four panels: L²² and
/// H¹² errors against step for the spec's step-plot models (KAN [2,10,1], MLP [2,10,1], MLP [2,100,100,100,1]), and
/// against parameter count for every series with fitted slopes and an N⁻⁴ reference line. Also writes
/// <c>fig3.3.md</c>: the headline comparison and the slope checks.
/// </summary>
public static class Figure33
{
    /// <summary>File names.</summary>
    public const string FigureFile = "fig3.3.png", SummaryFile = "fig3.3.md";

    /// <summary>The paper's reference slope for the scaling panels.</summary>
    public const double ReferenceSlope = -4;

    /// <summary>The reproduction entry.</summary>
    public static Reproduction Reproduction { get; } = new("fig3.3",
        "KAN paper Fig. 3.3: KAN vs MLP PINNs on sin(pi x) sin(pi y^2), error vs step and vs parameters", Write);

    private static IReadOnlyList<string> Write(string dir, ComparisonResults results)
    {
        ComparisonReport.WriteAtomically(Path.Combine(dir, FigureFile), path => SaveFigure(path, results));
        ComparisonReport.WriteText(dir, SummaryFile, Summary(results));
        return [FigureFile, SummaryFile, ComparisonReport.StepsCsv, ComparisonReport.ScalingCsv, ComparisonReport.SlopesCsv];
    }

    private static void SaveFigure(string path, ComparisonResults results)
    {
        var multiplot = ComparisonPlots.NewMultiplot(columns: 2, rows: 2);
        var measures = new[] { ComparisonPlots.L2Squared, ComparisonPlots.H1Squared };
        for (int i = 0; i < 2; i++)
        {
            ComparisonPlots.DrawSteps(multiplot.GetPlot(i), results, results.Spec.StepPlot, measures[i], $"{measures[i].Label} against step");
            ComparisonPlots.DrawScaling(multiplot.GetPlot(2 + i), results, measures[i], ReferenceSlope, $"{measures[i].Label} against parameters");
        }
        multiplot.SavePng(path, 1800, 1400);
    }

    /// <summary>The text of <c>fig3.3.md</c>.</summary>
    public static string Summary(ComparisonResults results)
    {
        var sb = new StringBuilder("# Fig. 3.3 reproduction: headline\n\n");
        var kan = Find(results, ModelType.Kan, [2, 10, 1]);
        var mlp = Find(results, ModelType.Mlp, [2, 100, 100, 100, 1]);
        if (kan is not null && mlp is not null)
        {
            sb.Append($"| | {kan.Model.Label} | {mlp.Model.Label} | MLP / KAN |\n|---|---:|---:|---:|\n");
            sb.Append($"| parameters | {kan.Parameters} | {mlp.Parameters} | {Ratio(mlp.Parameters, kan.Parameters)} |\n");
            foreach (var (column, name) in new[] { ("l2_squared", "L²² (mean over seeds)"), ("h1_squared", "H¹² (mean over seeds)"), ("relative_l2", "relative L2"),
                         ("training_seconds", "training seconds") })
                sb.Append($"| {name} | {E(kan[column].Mean)} | {E(mlp[column].Mean)} | {Ratio(mlp[column].Mean, kan[column].Mean)} |\n");
            sb.Append($"| seeds | {kan.Finished} | {mlp.Finished} | |\n\n");
            var kanRuns = kan.Runs.Where(r => r.Succeeded).ToArray();
            int below = kanRuns.Count(r => r.Metrics!.L2SquaredError <= 1e-7);
            sb.Append($"- {kan.Model.Label} L²² per seed: {string.Join(", ", kanRuns.Select(r => $"seed {r.Seed} {E(r.Metrics!.L2SquaredError)}"))}; ");
            sb.Append($"at most 1e-7 (the paper's headline): **{below} of {kanRuns.Length}** seeds\n");
            double ratio = mlp["l2_squared"].Mean / kan["l2_squared"].Mean, worst = mlp["l2_squared"].Mean / kan["l2_squared"].Max;
            sb.Append($"- {mlp.Model.Label} L²² over {kan.Model.Label} L²²: {Times(ratio)} (means over seeds), {Times(worst)} against the worst KAN seed; ");
            sb.Append($"at least 10×: {YesNo(ratio >= 10)} (means), {YesNo(worst >= 10)} (worst KAN seed)\n");
        }
        else sb.Append("(KAN [2,10,1] or MLP [2,100,100,100,1] is not among the compared models.)\n");

        foreach (var metric in new[] { "l2_squared", "h1_squared" })
        {
            var kanFits = results.Fits.Where(f => f.Metric == metric && f.Series.StartsWith("KAN", StringComparison.Ordinal)).ToArray();
            var mlpFits = results.Fits.Where(f => f.Metric == metric && f.Series.StartsWith("MLP", StringComparison.Ordinal)).ToArray();
            if (kanFits.Length == 0 || mlpFits.Length == 0) continue;
            double shallowestKan = kanFits.Max(f => f.Fit.Slope), steepestMlp = mlpFits.Min(f => f.Fit.Slope);
            string name = metric == "l2_squared" ? "L²²" : "H¹²";
            sb.Append($"- {name} scaling: KAN slopes {Slopes(kanFits)}; MLP slopes {Slopes(mlpFits)}; every KAN slope steeper than every MLP slope: ");
            sb.Append($"{YesNo(shallowestKan < steepestMlp)}\n");
        }
        sb.Append("\nSlopes are least-squares exponents of error ∝ N^slope (N = parameters) over each series' points in `scaling.csv`; ");
        sb.Append("a KAN series' points are the ends of its grid stages, an MLP series' points are its widths at one depth. ");
        sb.Append("Full table: `comparison.md`.\n");
        return sb.ToString();
    }

    private static ModelSummary? Find(ComparisonResults results, ModelType type, int[] widths) =>
        results.Models.FirstOrDefault(m => m.Finished > 0 && m.Model.Model.Type == type && m.Model.Model.Widths.SequenceEqual(widths));

    private static string Slopes(IEnumerable<SeriesFit> fits) =>
        string.Join(", ", fits.Select(f => $"{f.Series} {f.Fit.Slope.ToString("0.00", CultureInfo.InvariantCulture)}"));

    private static string YesNo(bool ok) => ok ? "**yes**" : "**no**";

    private static string Times(double ratio) => double.IsFinite(ratio) ? $"{ratio.ToString("0.#", CultureInfo.InvariantCulture)}×" : "–";

    private static string Ratio(double a, double b) => b > 0 && double.IsFinite(a / b) ? (a / b).ToString("0.##", CultureInfo.InvariantCulture) : "–";

    private static string E(double v) => double.IsFinite(v) ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : "–";
}
