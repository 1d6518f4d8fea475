using System.Globalization;
using System.Text;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Results;
using ScottPlot;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// pykan's PDE tutorial (u = sin πx sin πy, KAN [2,2,1], cubic splines, grids 5 → 10 → 20 with 50 L-BFGS steps each,
/// 51×51 mesh): loss terms and the mean squared error per step for every seed, beside the errors pykan printed after
/// each grid (3.11e-3, 1.03e-3, 1.74e-4). Writes <c>pykan-poisson.png</c>, <c>pykan-poisson.csv</c> (every step of every
/// seed) and <c>pykan-poisson.md</c> (the stage ends against pykan's numbers).
/// </summary>
public static class PykanPoissonTutorial
{
    /// <summary>File names.</summary>
    public const string FigureFile = "pykan-poisson.png", StepsFile = "pykan-poisson.csv", SummaryFile = "pykan-poisson.md";

    /// <summary>pykan's printed mean squared errors on the mesh after the grid-5, grid-10 and grid-20 stages.</summary>
    public static readonly (int Grid, double MeanSquaredError)[] PykanStageErrors = [(5, 3.11e-3), (10, 1.03e-3), (20, 1.74e-4)];

    /// <summary>The reproduction entry.</summary>
    public static Reproduction Reproduction { get; } = new("pykan-poisson",
        "pykan's Poisson tutorial (KAN [2,2,1], grids 5/10/20), loss and error per step against pykan's numbers", Write);

    private static IReadOnlyList<string> Write(string dir, ComparisonResults results)
    {
        var runs = results.Runs.Where(r => r.Succeeded).ToArray();
        ComparisonReport.WriteText(dir, StepsFile, StepsCsv(runs, results.Terms));
        ComparisonReport.WriteText(dir, SummaryFile, Summary(runs));
        ComparisonReport.WriteAtomically(Path.Combine(dir, FigureFile), path => SaveFigure(path, runs, results.Terms));
        return [FigureFile, StepsFile, SummaryFile];
    }

    private static string StepsCsv(IReadOnlyList<ComparedRun> runs, IReadOnlyList<string> terms)
    {
        var sb = new StringBuilder("label,seed,step,grid,total_loss");
        foreach (var t in terms) sb.Append(",loss_").Append(t);
        sb.Append(",relative_l2,l2_squared,h1_squared\n");
        foreach (var run in runs)
            foreach (var s in run.Steps)
            {
                sb.Append(ComparisonReport.Text(run.Model.Label)).Append(',').Append(run.Seed).Append(',').Append(s.Step).Append(',').Append(s.Grid)
                  .Append(',').Append(HistoryCsv.Real(s.TotalLoss));
                foreach (var t in s.Terms) sb.Append(',').Append(HistoryCsv.Real(t.Value));
                sb.Append(',').Append(HistoryCsv.Real(s.RelativeL2)).Append(',').Append(HistoryCsv.Real(s.L2Squared)).Append(',')
                  .Append(HistoryCsv.Real(s.H1Squared)).Append('\n');
            }
        return sb.ToString();
    }

    /// <summary>The stage-end table: the mean squared error at the last step on each grid, per seed, against pykan's.</summary>
    public static string Summary(IReadOnlyList<ComparedRun> runs)
    {
        var sb = new StringBuilder("# pykan Poisson tutorial: stage ends against pykan's printed errors\n\n");
        sb.Append("Mean squared error on the evaluation mesh, mean (u − u*)², at the last step on each grid.\n\n| Grid | Step | pykan |");
        foreach (var run in runs) sb.Append($" {run.Model.Label} seed {run.Seed} |");
        sb.Append("\n|---:|---:|---:|");
        foreach (var _ in runs) sb.Append("---:|");
        sb.Append('\n');
        foreach (var (grid, pykan) in PykanStageErrors)
        {
            var ends = runs.Select(r => r.Steps.LastOrDefault(s => s.Grid == grid)).ToArray();
            int step = ends.FirstOrDefault(e => e is not null)?.Step ?? -1;
            sb.Append($"| {grid} | {(step >= 0 ? (step + 1).ToString(CultureInfo.InvariantCulture) : "–")} | {E(pykan)} |");
            foreach (var e in ends) sb.Append($" {(e is null ? "–" : E(e.L2Squared))} |");
            sb.Append('\n');
        }
        sb.Append("\nFinal relative L2 error per seed: ");
        sb.Append(string.Join(", ", runs.Select(r => $"seed {r.Seed} {E(r.Metrics!.RelativeL2)}")));
        sb.Append(".\n");
        return sb.ToString();
    }

    private static void SaveFigure(string path, IReadOnlyList<ComparedRun> runs, IReadOnlyList<string> terms)
    {
        var multiplot = ComparisonPlots.NewMultiplot(columns: 2);
        var palette = new ScottPlot.Palettes.Category10();
        var loss = multiplot.GetPlot(0);
        var error = multiplot.GetPlot(1);
        for (int i = 0; i < runs.Count; i++)
        {
            var color = palette.GetColor(i);
            var steps = runs[i].Steps;
            AddLog(loss, steps, s => s.TotalLoss, color, $"seed {runs[i].Seed} total (weighted)", LinePattern.Solid);
            foreach (var (t, pattern) in terms.Zip(new[] { LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed }))
                AddLog(loss, steps, s => s.Terms.First(x => x.Key == t).Value, color, $"seed {runs[i].Seed} {t}", pattern);
            AddLog(error, steps, s => s.L2Squared, color, $"seed {runs[i].Seed}", LinePattern.Solid);
        }
        // pykan's printed errors sit at the last step of each 50-step grid stage.
        int stageSteps = runs.Count > 0 ? runs[0].Steps.Count(s => s.Grid == PykanStageErrors[0].Grid) : 50;
        var marks = error.Add.ScatterPoints(PykanStageErrors.Select((p, k) => (double)(k + 1) * stageSteps).ToArray(),
            PykanStageErrors.Select(p => Math.Log10(p.MeanSquaredError)).ToArray(), Colors.Black);
        marks.MarkerSize = 12;
        marks.MarkerShape = MarkerShape.OpenDiamond;
        marks.LegendText = "pykan (printed, end of each grid)";
        Style(loss, "Loss terms (unweighted mean squares) — pykan Poisson tutorial", "Loss");
        Style(error, "Mean squared error on the 51×51 mesh", "mean (u − u*)²");
        multiplot.SavePng(path, 1800, 700);
    }

    private static void AddLog(Plot plot, IReadOnlyList<StepErrors> steps, Func<StepErrors, double> value, Color color, string label, LinePattern pattern)
    {
        var points = steps.Select(s => (X: (double)s.Step + 1, Y: value(s))).Where(p => p.Y > 0 && double.IsFinite(p.Y)).ToArray();
        if (points.Length == 0) return;
        var line = plot.Add.ScatterLine(points.Select(p => p.X).ToArray(), points.Select(p => Math.Log10(p.Y)).ToArray(), color);
        line.LineWidth = pattern.Equals(LinePattern.Solid) ? 2 : 1.3f;
        line.LinePattern = pattern;
        line.LegendText = label;
    }

    private static void Style(Plot plot, string title, string yLabel)
    {
        plot.Title(title, size: 15);
        plot.XLabel("Optimizer steps", size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.Axes.Left.TickGenerator = LogTicks.Decades();
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontSize = 11;
    }

    private static string E(double v) => double.IsFinite(v) ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : "–";
}
