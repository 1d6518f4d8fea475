using System.Globalization;
using System.Text;
using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Results;
using ScottPlot;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// The files of the KAN paper's Fig. 2.3 reproduction (grid extension): <c>fig2.3.png</c> (RMSE against step, and
/// held-out RMSE against G with a G⁻⁴ line), <c>fig2.3.csv</c> (both errors per step) and <c>fig2.3.md</c> (the errors
/// at the end of each grid, fitted slopes and the paper's claims beside what was measured).
/// </summary>
public static class Figure23
{
    /// <summary>File names.</summary>
    public const string FigureFile = "fig2.3.png", StepsCsv = "fig2.3.csv", SummaryFile = "fig2.3.md";

    /// <summary>Theory for cubic splines: RMSE ∝ G^-(k+1).</summary>
    public const double TheorySlope = -4;

    /// <summary>For [2,5,1] the paper's held-out error turns up past G ≈ 50; slopes are fitted up to there.</summary>
    public const int OverfittingGrid = 50;

    /// <summary>One network's run.</summary>
    /// <param name="Label">E.g. "KAN [2,5,1]".</param>
    /// <param name="Widths">The network's widths.</param>
    /// <param name="Result">What the study measured.</param>
    /// <param name="Seed">The initialization seed kept by the multi-start.</param>
    /// <param name="Trials">Every candidate seed with its train RMSE after the trial steps.</param>
    public sealed record NetworkRun(string Label, IReadOnlyList<int> Widths, GridExtensionResult Result, int Seed, IReadOnlyList<(int Seed, double TrainRmse)> Trials)
    {
        /// <summary>The largest G in the paper's pre-over-fitting range: 50 with a hidden layer wider than 1, else every grid.</summary>
        public int FitLimit => Widths.Count > 2 && Widths.Skip(1).Take(Widths.Count - 2).Any(w => w > 1) ? OverfittingGrid : int.MaxValue;

        /// <summary>The grid end with the smallest held-out RMSE.</summary>
        public GridEnd BestTest => Result.Ends.MinBy(e => e.TestRmse)!;
    }

    /// <summary>How the reproduction was run.</summary>
    public sealed record Setup(string Function, int TrainSamples, int TestSamples, IReadOnlyList<int> Grids, int StepsPerGrid, int Seed,
        bool Quick, double WallSeconds, IReadOnlyList<int> FirstStageGridUpdates, int TrialSteps);

    /// <summary>A least-squares slope of log error against log G over the grid ends with G ≤ <paramref name="limit"/>.</summary>
    public static PowerLawFit? Slope(IEnumerable<GridEnd> ends, Func<GridEnd, double> error, int limit = int.MaxValue) =>
        PowerLawFit.Of(ends.Where(e => e.GridSize <= limit).Select(e => ((double)e.GridSize, error(e))).ToArray());

    /// <summary>Writes the three files into <paramref name="dir"/>.</summary>
    public static void Write(string dir, Setup setup, IReadOnlyList<NetworkRun> runs)
    {
        File.WriteAllText(Path.Combine(dir, StepsCsv), Csv(runs));
        File.WriteAllText(Path.Combine(dir, SummaryFile), Summary(setup, runs));
        SaveFigure(Path.Combine(dir, FigureFile), setup, runs);
    }

    /// <summary>The text of <c>fig2.3.csv</c>: network, grid, step (1-based), train and test RMSE after the step.</summary>
    public static string Csv(IReadOnlyList<NetworkRun> runs)
    {
        var sb = new StringBuilder("network,grid,step,train_rmse,test_rmse\n");
        foreach (var run in runs)
            foreach (var s in run.Result.Steps)
                sb.Append(CultureInfo.InvariantCulture, $"\"{run.Label}\",{s.GridSize},{s.Step + 1},{s.TrainRmse:R},{s.TestRmse:R}\n");
        return sb.ToString();
    }

    /// <summary>The text of <c>fig2.3.md</c>.</summary>
    public static string Summary(Setup setup, IReadOnlyList<NetworkRun> runs)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("# Fig. 2.3 reproduction: grid extension\n\n");
        sb.AppendLine(string.Create(c, $"f(x, y) = {setup.Function} on [-1, 1]², {setup.TrainSamples} training and {setup.TestSamples} test samples drawn uniformly " +
                         $"(seeds {setup.Seed + 1} and {setup.Seed + 2}); cubic splines (k = 3), grid_eps 1 (uniform knots); grids {string.Join(", ", setup.Grids)} " +
                         $"with {setup.StepsPerGrid} L-BFGS steps each (pykan's settings: strong Wolfe, history 10, up to 20 iterations per step, tolerances 1e-32), each grid after the first " +
                         $"reached by a grid extension (least-squares refit); grid updates from the samples before steps {string.Join(", ", setup.FirstStageGridUpdates)} of the first grid. " +
                         $"Network seeds from {setup.Seed} (multi-start, below), float64, 1 thread. Wall time {setup.WallSeconds / 60:F1} min" +
                         $"{(setup.Quick ? " (--quick: a smoke test of the pipeline, not the reproduction)." : ".")}"));
        sb.AppendLine();
        foreach (var run in runs)
        {
            sb.AppendLine(c, $"## {run.Label}");
            sb.AppendLine();
            sb.AppendLine("| G | parameters | samples per basis function | train RMSE | test RMSE | test √median SE |");
            sb.AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var e in run.Result.Ends)
                sb.AppendLine(c, $"| {e.GridSize} | {e.Parameters} | {(double)setup.TrainSamples / (e.GridSize + 3):0.##} | {E(e.TrainRmse)} | {E(e.TestRmse)} | {E(e.TestMedianRms)} |");
            sb.AppendLine();
            var best = run.BestTest;
            sb.AppendLine(c, $"Smallest test RMSE: **{E(best.TestRmse)} at G = {best.GridSize}**. Training took {run.Result.Seconds:F0} s ({run.Result.Evaluations} loss evaluations).");
            sb.AppendLine();
            sb.AppendLine(string.Create(c, $"Initialization seed {run.Seed}, chosen by multi-start: train RMSE after {setup.TrialSteps} steps at G = {setup.Grids[0]} per seed ") +
                             string.Join(", ", run.Trials.Select(t => string.Create(c, $"{t.Seed}: {E(t.TrainRmse)}"))) + ".");
            sb.AppendLine();
        }

        sb.AppendLine("## Slopes of error against G");
        sb.AppendLine();
        sb.AppendLine("Least-squares slopes of log10 error against log10 G over the grid ends in the range named. The paper's range is the one before its " +
                      $"[2,5,1] over-fits: G ≤ {OverfittingGrid} for networks with a hidden layer wider than 1, every grid for [2,1,1].");
        sb.AppendLine();
        sb.AppendLine("| network | range | test RMSE slope | test √median SE slope | train RMSE slope |");
        sb.AppendLine("|---|---|---:|---:|---:|");
        foreach (var run in runs)
        {
            var ranges = new List<(string Name, int Limit)> { (RangeName(run.FitLimit, setup.Grids), run.FitLimit) };
            int toBest = run.BestTest.GridSize;
            if (toBest != Math.Min(run.FitLimit, setup.Grids[^1])) ranges.Add(($"G ≤ {toBest} (up to the test minimum)", toBest));
            foreach (var (name, limit) in ranges)
                sb.AppendLine(c, $"| {run.Label} | {name} | {S(Slope(run.Result.Ends, e => e.TestRmse, limit))} | " +
                                 $"{S(Slope(run.Result.Ends, e => e.TestMedianRms, limit))} | {S(Slope(run.Result.Ends, e => e.TrainRmse, limit))} |");
        }
        sb.AppendLine();

        sb.AppendLine("## The paper's claims and what we measured");
        sb.AppendLine();
        sb.AppendLine("| claim (paper §2.4, Fig. 2.3) | measured |");
        sb.AppendLine("|---|---|");
        sb.AppendLine("| train loss falls in a staircase: it drops at every grid extension | " + string.Join("; ", runs.Select(r => $"{r.Label}: {Staircase(r)}")) + " |");
        sb.AppendLine($"| test loss is U-shaped; [2,5,1] over-fits past G ≈ {OverfittingGrid} | " + string.Join("; ", runs.Select(r => $"{r.Label}: {UShape(r)}")) + " |");
        sb.AppendLine("| theory: RMSE ∝ G⁻⁴ (cubic splines, G^-(k+1)); the paper measured √(mean squared error) ≈ G⁻³ | " +
                      string.Join("; ", runs.Select(r => $"{r.Label}: {SlopeRanges(r, setup.Grids, e => e.TestRmse)}")) + " |");
        sb.AppendLine("| the paper measured √(median squared error) ≈ G⁻⁴ | " +
                      string.Join("; ", runs.Select(r => $"{r.Label}: {SlopeRanges(r, setup.Grids, e => e.TestMedianRms)}")) + " |");
        sb.AppendLine();
        sb.AppendLine($"Per-step errors: `{StepsCsv}`; figure: `{FigureFile}`.");
        return sb.ToString();
    }

    /// <summary>How many extensions lowered the train RMSE at the end of the new grid below that at the end of the previous one.</summary>
    private static string Staircase(NetworkRun run)
    {
        var ends = run.Result.Ends;
        int lower = Enumerable.Range(1, ends.Count - 1).Count(i => ends[i].TrainRmse < ends[i - 1].TrainRmse);
        var firstDrop = Enumerable.Range(1, ends.Count - 1).FirstOrDefault(i => !(ends[i].TrainRmse < ends[i - 1].TrainRmse), -1);
        return $"lower after {lower} of {ends.Count - 1} extensions" + (firstDrop >= 0 ? $" (not at G {ends[firstDrop - 1].GridSize} → {ends[firstDrop].GridSize})" : "") +
               $", {E(ends[0].TrainRmse)} at G = {ends[0].GridSize} → {E(ends[^1].TrainRmse)} at G = {ends[^1].GridSize}";
    }

    private static string UShape(NetworkRun run)
    {
        var best = run.BestTest;
        var last = run.Result.Ends[^1];
        return best.GridSize == last.GridSize
            ? $"smallest at the last grid G = {best.GridSize} ({E(best.TestRmse)}), no rise"
            : $"smallest at G = {best.GridSize} ({E(best.TestRmse)}), then up to {E(last.TestRmse)} at G = {last.GridSize} ({E(last.TestRmse / best.TestRmse)}×)";
    }

    /// <summary>The test-error slope over the paper's range and, where it differs, up to the test minimum.</summary>
    private static string SlopeRanges(NetworkRun run, IReadOnlyList<int> grids, Func<GridEnd, double> error)
    {
        var text = $"{S(Slope(run.Result.Ends, error, run.FitLimit))} ({RangeName(run.FitLimit, grids)})";
        int toBest = run.BestTest.GridSize;
        return toBest == Math.Min(run.FitLimit, grids[^1]) ? text : text + $", {S(Slope(run.Result.Ends, error, toBest))} (G ≤ {toBest})";
    }

    private static string RangeName(int limit, IReadOnlyList<int> grids) => limit >= grids[^1] ? "every grid" : $"G ≤ {limit}";

    private static string S(PowerLawFit? fit) => fit is null ? "–" : fit.Slope.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>An error as printed in the summary (3 significant digits).</summary>
    public static string E(double v) => double.IsFinite(v) ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : "–";

    private static void SaveFigure(string path, Setup setup, IReadOnlyList<NetworkRun> runs)
    {
        PlotFonts.EnsureRegistered();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(1, 2);
        DrawSteps(multiplot.GetPlot(0), runs);
        DrawGrids(multiplot.GetPlot(1), runs);
        multiplot.SavePng(path, 1800, 700);
    }

    private static void DrawSteps(Plot plot, IReadOnlyList<NetworkRun> runs)
    {
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < runs.Count; r++)
        {
            var steps = runs[r].Result.Steps;
            var xs = steps.Select(s => (double)(s.Step + 1)).ToArray();
            foreach (var (name, of, pattern) in new (string, Func<GridExtensionStep, double>, LinePattern)[]
                         { ("train", s => s.TrainRmse, LinePattern.Solid), ("test", s => s.TestRmse, LinePattern.Dashed) })
            {
                var line = plot.Add.ScatterLine(xs, steps.Select(s => LogTicks.Log10OrNaN(of(s))).ToArray(), palette.GetColor(r));
                line.LineWidth = 2;
                line.LinePattern = pattern;
                line.LegendText = $"{runs[r].Label} {name}";
            }
        }
        plot.Axes.AutoScale();
        double top = plot.Axes.GetLimits().Top;
        // Grid extensions: a dotted line before the first step on each new grid, labelled with the new G.
        var first = runs[0].Result.Steps;
        for (int i = 1; i < first.Count; i++)
        {
            if (first[i].GridSize == first[i - 1].GridSize) continue;
            double x = first[i].Step + 0.5;
            var mark = plot.Add.VerticalLine(x, 1, Colors.Gray.WithAlpha(0.8), LinePattern.Dotted);
            mark.ExcludeFromLegend = true;
            var label = plot.Add.Text($"G={first[i].GridSize}", x, top);
            label.LabelFontSize = 11;
            label.LabelAlignment = Alignment.UpperLeft;
        }
        ComparisonPlots.Style(plot, "RMSE against step (vertical lines: grid extensions)", "L-BFGS steps", "RMSE", logX: false);
    }

    private static void DrawGrids(Plot plot, IReadOnlyList<NetworkRun> runs)
    {
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < runs.Count; r++)
        {
            var ends = runs[r].Result.Ends;
            var xs = ends.Select(e => Math.Log10(e.GridSize)).ToArray();
            // The slope up to the test minimum: beyond it the over-fitted grids say nothing about the approximation rate.
            int limit = runs[r].BestTest.GridSize;
            var fit = Slope(ends, e => e.TestRmse, limit);
            var test = plot.Add.Scatter(xs, ends.Select(e => LogTicks.Log10OrNaN(e.TestRmse)).ToArray(), palette.GetColor(r));
            test.LineWidth = 2;
            test.MarkerSize = 9;
            test.LegendText = $"{runs[r].Label} test RMSE" + (fit is null ? "" : $" (slope {fit.Slope:0.00} for G ≤ {limit})");
            var median = plot.Add.Scatter(xs, ends.Select(e => LogTicks.Log10OrNaN(e.TestMedianRms)).ToArray(), palette.GetColor(r));
            median.LineWidth = 1;
            median.LinePattern = LinePattern.Dotted;
            median.MarkerShape = MarkerShape.OpenCircle;
            median.MarkerSize = 8;
            median.LegendText = $"{runs[r].Label} test √median SE";
        }
        var anchor = runs.SelectMany(r => r.Result.Ends).Where(e => e.TestRmse > 0 && double.IsFinite(e.TestRmse)).ToArray();
        if (anchor.Length > 0)
        {
            // Through the first grid's largest error, lifted half a decade so that it runs beside the data.
            int g0 = anchor.Min(e => e.GridSize), g1 = anchor.Max(e => e.GridSize);
            double y0 = Math.Log10(anchor.Where(e => e.GridSize == g0).Max(e => e.TestRmse)) + 0.5;
            double x0 = Math.Log10(g0), x1 = Math.Log10(g1);
            ComparisonPlots.AddReferenceLine(plot, x0, y0, x1, TheorySlope, "G⁻⁴ (theory)", LinePattern.Dashed);
        }
        ComparisonPlots.Style(plot, "Test error at the end of each grid", "Grid size G", "RMSE", logX: true);
    }
}
