using ScottPlot;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// A mobility-edge phase diagram: every eigenstate of a parameter sweep as a dot at (parameter, E) coloured by its
/// fractal dimension D, the analytic mobility edge drawn on top as lines, and the classifier's learned edge as markers.
/// </summary>
internal static class PhaseDiagramPlot
{
    /// <summary>A curve drawn over the states.</summary>
    public sealed record Curve(double[] Xs, double[] Ys, string Label, bool Dashed);

    private const int Buckets = 40;

    public static void Save(string path, string title, string xLabel, double[] xs, double[] energies, double[] dimensions,
        IReadOnlyList<Curve> theory, (double[] Xs, double[] Ys)? learned)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        var colormap = new ScottPlot.Colormaps.Viridis();
        // One marker plottable per colour bucket: tens of thousands of dots stay cheap to draw.
        for (int b = 0; b < Buckets; b++)
        {
            double lo = (double)b / Buckets, hi = (double)(b + 1) / Buckets;
            var members = Enumerable.Range(0, xs.Length)
                .Where(i => Math.Clamp(dimensions[i], 0, 1) >= lo && (Math.Clamp(dimensions[i], 0, 1) < hi || (b == Buckets - 1 && dimensions[i] >= 1)))
                .ToArray();
            if (members.Length == 0) continue;
            var markers = plot.Add.Markers(members.Select(i => xs[i]).ToArray(), members.Select(i => energies[i]).ToArray(),
                MarkerShape.FilledCircle, 2.5f, colormap.GetColor((lo + hi) / 2));
            markers.LegendText = "";
        }
        foreach (var curve in theory)
        {
            var line = plot.Add.ScatterLine(curve.Xs, curve.Ys, Colors.Red);
            line.LineWidth = 2.5f;
            line.LinePattern = curve.Dashed ? LinePattern.Dashed : LinePattern.Solid;
            line.LegendText = curve.Label;
        }
        if (learned is { } l && l.Xs.Length > 0)
        {
            var points = plot.Add.Markers(l.Xs, l.Ys, MarkerShape.FilledDiamond, 5, Colors.Magenta);
            points.LegendText = "KAN edge (logit = 0)";
        }
        var bar = plot.Add.ColorBar(new FixedColorAxis(colormap, 0, 1));
        bar.Label = "fractal dimension D";
        bar.LabelStyle.FontSize = 15;
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 15);
        plot.YLabel("E", size: 15);
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        double yLo = energies.Min(), yHi = energies.Max(), pad = 0.03 * (yHi - yLo);
        double xLo = xs.Min(), xHi = xs.Max(), xPad = 0.02 * (xHi - xLo);
        plot.Axes.SetLimits(xLo - xPad, xHi + xPad, yLo - pad, yHi + pad);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontSize = 13;
        plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.85);
        plot.SavePng(path, 1100, 800);
    }

    /// <summary>The learned edge curve of a mosaic classifier beside the analytic one, and their ratio.</summary>
    public static void SaveEdgeCurve(string path, string title, double[] energies, double[] learned, double[] theory, string theoryLabel)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        var t = plot.Add.Markers(energies, theory, MarkerShape.FilledCircle, 4, Colors.Red);
        t.LegendText = theoryLabel;
        var k = plot.Add.Markers(energies, learned, MarkerShape.OpenCircle, 6, Colors.Blue);
        k.LegendText = "KAN: logit(λ, E) = 0";
        plot.Title(title, size: 16);
        plot.XLabel("E", size: 15);
        plot.YLabel("λ on the mobility edge", size: 15);
        plot.ShowLegend(Alignment.UpperCenter);
        plot.SavePng(path, 1000, 700);
    }

    /// <summary>A colour axis with a fixed range, so a colour bar can stand beside plain markers.</summary>
    private sealed class FixedColorAxis(IColormap colormap, double min, double max) : IHasColorAxis
    {
        public IColormap Colormap { get; set; } = colormap;

        public ScottPlot.Range GetRange() => new(min, max);
    }
}
