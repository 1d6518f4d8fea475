using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Spec;
using ScottPlot;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// Comparison figures: error against optimizer step (one line per model, geometric mean over seeds) and error
/// against parameter count on log–log axes (markers per series with their fitted power law), one panel per error
/// measure: L²² and H¹² when the problem has an exact solution (and gradient), else the total loss.
/// </summary>
public static class ComparisonPlots
{
    private const int PanelWidth = 900, PanelHeight = 650;

    /// <summary>An error measure that can be plotted.</summary>
    public sealed record Measure(string Key, string Label, Func<StepPoint, double> OfStep, Func<ScalingPoint, double>? OfPoint);

    /// <summary>L² squared error.</summary>
    public static readonly Measure L2Squared = new("l2_squared", "L² squared error", p => p.L2Squared, p => p.L2Squared);

    /// <summary>H¹ squared error.</summary>
    public static readonly Measure H1Squared = new("h1_squared", "H¹ squared error", p => p.H1Squared, p => p.H1Squared);

    /// <summary>Weighted total loss (for problems without an exact solution; no scaling points).</summary>
    public static readonly Measure TotalLoss = new("total_loss", "Total loss", p => p.TotalLoss, null);

    /// <summary>The measures this comparison has data for.</summary>
    public static IReadOnlyList<Measure> MeasuresOf(ComparisonResults results)
    {
        var points = results.Curves.Values.SelectMany(c => c).ToArray();
        var measures = new[] { L2Squared, H1Squared }.Where(m => points.Any(p => Positive(m.OfStep(p)))).ToArray();
        return measures.Length > 0 ? measures : [TotalLoss];
    }

    /// <summary><c>error_vs_step.png</c>: one panel per measure, side by side.</summary>
    public static void SaveSteps(string path, ComparisonResults results)
    {
        var measures = MeasuresOf(results);
        var multiplot = NewMultiplot(measures.Count);
        for (int i = 0; i < measures.Count; i++)
            DrawSteps(multiplot.GetPlot(i), results, results.Spec.StepPlot, measures[i], $"{measures[i].Label} against step — {results.Spec.Name}");
        multiplot.SavePng(path, PanelWidth * measures.Count, PanelHeight);
    }

    /// <summary><c>error_vs_parameters.png</c>: one log–log panel per measure, side by side.</summary>
    public static void SaveScaling(string path, ComparisonResults results, double? referenceSlope)
    {
        var measures = MeasuresOf(results).Where(m => m.OfPoint is not null).ToArray();
        if (measures.Length == 0) measures = [L2Squared];
        var multiplot = NewMultiplot(measures.Length);
        for (int i = 0; i < measures.Length; i++)
            DrawScaling(multiplot.GetPlot(i), results, measures[i], referenceSlope, $"{measures[i].Label} against parameters — {results.Spec.Name}");
        multiplot.SavePng(path, PanelWidth * measures.Length, PanelHeight);
    }

    /// <summary>A multiplot of <paramref name="columns"/> panels in one row.</summary>
    public static Multiplot NewMultiplot(int columns, int rows = 1)
    {
        PlotFonts.EnsureRegistered();
        var multiplot = new Multiplot();
        multiplot.AddPlots(columns * rows);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        return multiplot;
    }

    /// <summary>Error against step for the models labelled <paramref name="labels"/>.</summary>
    public static void DrawSteps(Plot plot, ComparisonResults results, IReadOnlyList<string> labels, Measure measure, string title)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var label in labels)
        {
            var color = palette.GetColor(colour++);
            if (!results.Curves.TryGetValue(label, out var curve)) continue;
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var p in curve)
            {
                double v = measure.OfStep(p);
                if (!Positive(v)) continue;
                xs.Add(p.Step + 1);
                ys.Add(Math.Log10(v));
            }
            if (xs.Count == 0) continue;
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
            line.LineWidth = 2;
            line.LegendText = label;
        }
        // KAN grid refinements, where their curves drop in steps: a dashed line before the first step on each new grid.
        var changes = labels.Where(results.Curves.ContainsKey).SelectMany(l => results.Curves[l].Where((p, i) => i > 0 && p.Grid != results.Curves[l][i - 1].Grid))
            .Select(p => p.Step + 0.5).Distinct();
        foreach (double x in changes)
        {
            var line = plot.Add.VerticalLine(x, 1, Colors.Gray.WithAlpha(0.8), LinePattern.Dashed);
            line.ExcludeFromLegend = true;
        }
        Style(plot, title, "Optimizer steps", measure.Label, logX: false);
    }

    /// <summary>Error against parameter count per series, with fitted power laws and an optional N^slope reference line.</summary>
    public static void DrawScaling(Plot plot, ComparisonResults results, Measure measure, double? referenceSlope, string title)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var series = results.Scaling.Select(p => p.Series).Distinct().ToArray();
        var all = new List<(double X, double Y)>();
        for (int i = 0; i < series.Length; i++)
        {
            var color = palette.GetColor(i);
            var points = results.Scaling.Where(p => p.Series == series[i] && Positive(measure.OfPoint!(p)) && p.Parameters > 0).ToArray();
            if (points.Length == 0) continue;
            var xs = points.Select(p => Math.Log10(p.Parameters)).ToArray();
            var ys = points.Select(p => Math.Log10(measure.OfPoint!(p))).ToArray();
            all.AddRange(xs.Zip(ys));
            var markers = plot.Add.ScatterPoints(xs, ys, color);
            markers.MarkerSize = 10;
            markers.MarkerShape = series[i].StartsWith("KAN", StringComparison.Ordinal) ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
            var fit = results.FitOf(series[i], measure.Key);
            markers.LegendText = fit is null ? series[i] : $"{series[i]}  (slope {fit.Fit.Slope:0.00})";
            if (fit is null) continue;
            double lo = Math.Log10(fit.MinParameters), hi = Math.Log10(fit.MaxParameters);
            var line = plot.Add.ScatterLine(new[] { lo, hi }, new[] { Math.Log10(fit.Fit.At(fit.MinParameters)), Math.Log10(fit.Fit.At(fit.MaxParameters)) }, color);
            line.LineWidth = 1.5f;
            line.LinePattern = LinePattern.Dashed;
        }
        if (referenceSlope is double slope && all.Count > 0)
        {
            // Through the smallest KAN point, lifted half a decade so it runs beside the data rather than through it.
            var anchors = results.Scaling.Where(p => p.Series.StartsWith("KAN", StringComparison.Ordinal) && Positive(measure.OfPoint!(p))).ToArray();
            var anchor = anchors.Length > 0 ? anchors.MinBy(p => p.Parameters)! : null;
            double x0 = anchor is null ? all.Min(p => p.X) : Math.Log10(anchor.Parameters);
            double y0 = (anchor is null ? all.Max(p => p.Y) : Math.Log10(measure.OfPoint!(anchor))) + 0.5;
            double x1 = all.Max(p => p.X);
            AddReferenceLine(plot, x0, y0, x1, slope, $"N{Superscript(slope)} reference", LinePattern.Dotted);
        }
        Style(plot, title, "Parameters N", measure.Label, logX: true);
    }

    /// <summary>
    /// A black power-law reference line on log–log axes: from (x0, y0) to x1 (log10 coordinates) with
    /// <paramref name="slope"/> decades per decade.
    /// </summary>
    internal static void AddReferenceLine(Plot plot, double x0, double y0, double x1, double slope, string legend, LinePattern pattern)
    {
        var reference = plot.Add.ScatterLine(new[] { x0, x1 }, new[] { y0, y0 + slope * (x1 - x0) }, Colors.Black);
        reference.LineWidth = 1.5f;
        reference.LinePattern = pattern;
        reference.LegendText = legend;
    }

    /// <summary>
    /// The common look of the error panels: title and labels, decade ticks on the log10 y axis (and x with
    /// <paramref name="logX"/>), light grid, axes widened to whole decades, legend in the lower left.
    /// </summary>
    internal static void Style(Plot plot, string title, string xLabel, string yLabel, bool logX)
    {
        plot.Title(title, size: 15);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.Axes.Left.TickGenerator = LogTicks.Decades();
        if (logX) plot.Axes.Bottom.TickGenerator = LogTicks.Decades();
        else
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
            };
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Grid.MajorLineColor = Colors.Black.WithAlpha(0.12);
        plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        plot.Grid.MinorLineWidth = 1;
        plot.Axes.AutoScale();
        WidenToDecades(plot, vertical: true);
        if (logX) WidenToDecades(plot, vertical: false);
        // Errors fall from the upper left (few steps, few parameters) to the lower right: the lower left stays empty.
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Legend.FontSize = 12;
    }

    /// <summary>An exponent as superscript characters, e.g. −4 → "⁻⁴".</summary>
    private static string Superscript(double exponent)
    {
        string digits = exponent.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(digits.Select(c => c switch
        {
            '-' => '\u207B',
            '.' => '\u00B7',
            '1' => '\u00B9',
            '2' => '\u00B2',
            '3' => '\u00B3',
            _ => (char)('\u2070' + (c - '0')),
        }));
    }

    /// <summary>Decade ticks only label whole powers of ten: an axis spanning under two decades is widened to its enclosing decades.</summary>
    private static void WidenToDecades(Plot plot, bool vertical)
    {
        var limits = plot.Axes.GetLimits();
        double lo = vertical ? limits.Bottom : limits.Left, hi = vertical ? limits.Top : limits.Right;
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi - lo >= 2) return;
        double newLo = Math.Floor(lo), newHi = Math.Max(Math.Ceiling(hi), newLo + 1);
        if (vertical) plot.Axes.SetLimitsY(newLo, newHi);
        else plot.Axes.SetLimitsX(newLo, newHi);
    }

    private static bool Positive(double v) => v > 0 && double.IsFinite(v);
}
