using ScottPlot;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// <c>convergence.png</c>: loss terms and total loss (top panel) and relative L2 error (bottom panel) against
/// optimiser step, both on log scales, with dashed markers where the KAN grid was refined.
/// </summary>
internal static class ConvergencePlot
{
    // Fixed paddings keep the two panels' data areas aligned; auto layout would shift each panel by its tick label width.
    private const float Left = 110, Right = 40;

    public static void Save(string path, RunRecord record, ResultsWriterOptions options)
    {
        PlotFonts.EnsureRegistered();
        var history = record.History;
        bool hasError = history.Any(r => r.RelativeL2 is { } e && e > 0 && double.IsFinite(e));

        var multiplot = new Multiplot();
        multiplot.AddPlots(hasError ? 2 : 1);
        var lossPlot = multiplot.GetPlot(0);

        var (xMin, xMax) = StepRange(history, record.GridChanges);
        AddLosses(lossPlot, history);
        Style(lossPlot, "Loss (unweighted mean square)", xMin, xMax, isBottom: !hasError);
        lossPlot.Title($"Training convergence — {record.Metrics.Name}  ({record.Metrics.ProblemFamily}, {record.Metrics.Model})", size: 17);
        AddGridChanges(lossPlot, record.GridChanges, labelled: true);
        if (history.Count == 0) NoData(lossPlot, xMin, xMax);

        if (hasError)
        {
            var errorPlot = multiplot.GetPlot(1);
            AddRelativeError(errorPlot, history);
            errorPlot.HideLegend();
            Style(errorPlot, "Relative L² error  ‖u−u*‖ / ‖u*‖", xMin, xMax, isBottom: true);
            AddGridChanges(errorPlot, record.GridChanges, labelled: false);
        }

        lossPlot.Layout.Fixed(new PixelPadding(Left, Right, hasError ? 25 : 70, 60));
        if (hasError) multiplot.GetPlot(1).Layout.Fixed(new PixelPadding(Left, Right, 70, 15));
        multiplot.SavePng(path, options.ConvergenceWidth, options.ConvergenceHeight);
    }

    private static void AddLosses(Plot plot, IReadOnlyList<HistoryRow> history)
    {
        AddLogSeries(plot, history, r => r.TotalLoss, "total (weighted)", Colors.Black, 2.2f);
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var term in HistoryCsv.TermColumns(history))
        {
            AddLogSeries(plot, history, r => r.Terms.TryGetValue(term, out var v) ? v : double.NaN,
                term, palette.GetColor(i++), 1.5f);
        }
        if (history.Count > 0)
        {
            // Losses fall from the upper left, so the lower left is the corner least likely to hide data.
            plot.ShowLegend(Alignment.LowerLeft);
            plot.Legend.FontSize = 14;
        }
    }

    private static void AddRelativeError(Plot plot, IReadOnlyList<HistoryRow> history) =>
        AddLogSeries(plot, history, r => r.RelativeL2 ?? double.NaN, "relative L²", new ScottPlot.Palettes.Category10().GetColor(3), 2f);

    private static void AddLogSeries(Plot plot, IReadOnlyList<HistoryRow> history, Func<HistoryRow, double> value,
        string label, Color color, float width)
    {
        // Non-positive or non-finite points have no place on a log axis; dropping them bridges the gap with a line.
        var xs = new List<double>(history.Count);
        var ys = new List<double>(history.Count);
        foreach (var row in history)
        {
            double y = LogTicks.Log10OrNaN(value(row));
            if (double.IsNaN(y)) continue;
            xs.Add(row.Step);
            ys.Add(y);
        }
        if (xs.Count == 0) return;
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = width;
        line.LegendText = label;
        // A single surviving point would otherwise be invisible.
        if (xs.Count == 1) { line.MarkerSize = 6; line.MarkerShape = MarkerShape.FilledCircle; }
    }

    private static void AddGridChanges(Plot plot, IReadOnlyList<GridChange> changes, bool labelled)
    {
        foreach (var change in changes)
        {
            var line = plot.Add.VerticalLine(change.Step, 1.2f, Colors.Gray.WithAlpha(0.9), LinePattern.Dashed);
            line.ExcludeFromLegend = true;
            if (!labelled) continue;
            // Inside the frame, just right of the line: above the frame it would collide with the title.
            var label = plot.Add.Text($"G={change.ToGrid}", change.Step, plot.Axes.GetLimits().Top);
            label.Alignment = Alignment.UpperLeft;
            label.OffsetX = 4;
            label.OffsetY = 4;
            label.LabelFontSize = 13;
            label.LabelFontColor = Colors.DimGray;
        }
    }

    private static void Style(Plot plot, string yLabel, double xMin, double xMax, bool isBottom)
    {
        plot.Axes.Left.TickGenerator = LogTicks.Decades();
        // Plain integers: thousands separators read as decimal commas in much of the literature.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.YLabel(yLabel, size: 15);
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.IsVisible = isBottom;
        if (isBottom) plot.XLabel("Optimiser step", size: 15);
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        plot.Grid.MinorLineWidth = 1;
        plot.Axes.AutoScaleY();
        // Labels sit only on whole decades: a curve spanning less than two would show one label or none,
        // so widen the axis to the enclosing decades.
        var limits = plot.Axes.GetLimits();
        if (double.IsFinite(limits.Bottom) && double.IsFinite(limits.Top) && limits.Top - limits.Bottom < 2)
            plot.Axes.SetLimitsY(Math.Floor(limits.Bottom), Math.Max(Math.Ceiling(limits.Top), Math.Floor(limits.Bottom) + 1));
        plot.Axes.SetLimitsX(xMin, xMax);
    }

    private static (double Min, double Max) StepRange(IReadOnlyList<HistoryRow> history, IReadOnlyList<GridChange> changes)
    {
        var steps = history.Select(r => (double)r.Step).Concat(changes.Select(c => (double)c.Step)).ToArray();
        if (steps.Length == 0) return (0, 1);
        double min = steps.Min(), max = steps.Max();
        return max > min ? (min, max) : (min - 0.5, max + 0.5);
    }

    private static void NoData(Plot plot, double xMin, double xMax)
    {
        var text = plot.Add.Text("no training history recorded", (xMin + xMax) / 2, 0);
        text.Alignment = Alignment.MiddleCenter;
        text.LabelFontSize = 18;
        plot.Axes.SetLimitsY(-1, 1);
    }
}
