using ScottPlot;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Heat maps of 2D fields: nodal values drawn as cells centred on the nodes, axes clipped to the true
/// domain extent, equal units on x and y, and a labelled colour bar (optionally logarithmic).
/// </summary>
internal static class FieldPlot
{
    private const float Top = 70, Bottom = 75, Left = 95, ColorBarRoom = 190;

    /// <summary>Colour scale of a heat map.</summary>
    /// <param name="Colormap">Colour map to use.</param>
    /// <param name="Range">Fixed value range (in displayed units); null means the data's own range.</param>
    /// <param name="Log10">Colour by log10 of the absolute value.</param>
    /// <param name="Decades">With <paramref name="Log10"/>: decades below the maximum that stay resolved.</param>
    public sealed record Scale(IColormap Colormap, ScottPlot.Range? Range = null, bool Log10 = false, double Decades = 6);

    public static void Save(string path, FieldGrid2D field, string title, Scale scale, ResultsWriterOptions options)
    {
        var (width, height) = options.FieldImageSize(field);
        Create(field, title, scale, width, height).SavePng(path, width, height);
    }

    /// <summary>The heat map as a plot laid out for a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public static Plot Create(FieldGrid2D field, string title, Scale scale, int width, int height)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        int nx = field.Xs.Length, ny = field.Ys.Length;
        double x0 = field.Xs[0], x1 = field.Xs[^1], y0 = field.Ys[0], y1 = field.Ys[^1];

        var heatmap = plot.Add.Heatmap(Intensities(field, scale, out var logRange));
        heatmap.Colormap = scale.Colormap;
        heatmap.Smooth = false;
        heatmap.NaNCellColor = field.Masked ? Colors.White : Colors.Magenta;
        // Cells are centred on the nodes, so the bitmap overhangs the domain by half a cell; the axis limits below crop it.
        double hx = 0.5 * (field.Xs[1] - x0), hxEnd = 0.5 * (x1 - field.Xs[nx - 2]);
        double hy = 0.5 * (field.Ys[1] - y0), hyEnd = 0.5 * (y1 - field.Ys[ny - 2]);
        heatmap.Extent = new CoordinateRect(x0 - hx, x1 + hxEnd, y0 - hy, y1 + hyEnd);
        if (scale.Log10) heatmap.ManualRange = logRange;
        else if (scale.Range is { } r) heatmap.ManualRange = r;

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = scale.Log10 ? $"{field.Label}  (log scale)" : field.Label;
        colorBar.LabelStyle.FontSize = 15;
        colorBar.Axis.TickLabelStyle.FontSize = 13;
        if (scale.Log10) colorBar.Axis.TickGenerator = LogTicks.Decades();

        plot.Title(title, size: 17);
        plot.XLabel("x", size: 16);
        plot.YLabel("y", size: 16);
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Grid.IsVisible = false;
        plot.Axes.SetLimits(x0, x1, y0, y1);
        plot.Layout.Fixed(EqualAspectPadding(width, height, (x1 - x0) / (y1 - y0)));
        return plot;
    }

    /// <summary>
    /// Intensities in ScottPlot's image order (row 0 drawn at the top), so the rows of <c>Values[iy, ix]</c>
    /// are reversed to put the smallest y at the bottom.
    /// </summary>
    private static double[,] Intensities(FieldGrid2D field, Scale scale, out ScottPlot.Range logRange)
    {
        int ny = field.Ys.Length, nx = field.Xs.Length;
        var result = new double[ny, nx];
        double maxAbs = 0;
        foreach (double v in field.Values)
            if (double.IsFinite(v)) maxAbs = Math.Max(maxAbs, Math.Abs(v));

        // An all-zero error (exact reproduction) still needs a valid, non-empty log range.
        double top = maxAbs > 0 ? Math.Ceiling(Math.Log10(maxAbs) * 1e6) / 1e6 : 0;
        double bottom = top - Math.Max(scale.Decades, 1);
        logRange = new ScottPlot.Range(bottom, top);

        for (int iy = 0; iy < ny; iy++)
        {
            for (int ix = 0; ix < nx; ix++)
            {
                double v = field.Values[iy, ix];
                if (scale.Log10 && !double.IsNaN(v))
                    v = Math.Clamp(Math.Abs(v) > 0 ? Math.Log10(Math.Abs(v)) : bottom, bottom, top);
                result[ny - 1 - iy, ix] = v;
            }
        }
        return result;
    }

    /// <summary>Image height that gives a <paramref name="width"/>-wide image an equal-aspect data area.</summary>
    public static int HeightFor(int width, int maxHeight, double aspect)
    {
        const float MinDataHeight = 220;
        double dataHeight = (width - Left - ColorBarRoom) / aspect;
        double height = Math.Clamp(dataHeight, MinDataHeight, Math.Max(MinDataHeight, maxHeight - Top - Bottom)) + Top + Bottom;
        return (int)Math.Round(height);
    }

    private static PixelPadding EqualAspectPadding(int width, int height, double aspect)
    {
        float availableW = width - Left - ColorBarRoom, availableH = height - Top - Bottom;
        float dataW = availableW, dataH = availableH;
        if (aspect * availableH <= availableW) dataW = (float)(aspect * availableH);
        else dataH = (float)(availableW / aspect);

        // Spare width goes to both sides so the plot stays centred; the colour bar sits in the right padding.
        float spareW = availableW - dataW, spareH = availableH - dataH;
        return new PixelPadding(Left + spareW / 2, ColorBarRoom + spareW / 2, Bottom + spareH / 2, Top + spareH / 2);
    }
}
