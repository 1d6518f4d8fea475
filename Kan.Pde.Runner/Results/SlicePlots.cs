using ScottPlot;
using SkiaSharp;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Figures of multi-output 2-D fields: <c>fields.png</c>, a panel per output (columns) for the prediction, the exact
/// solution and the pointwise error (rows); and, for flows (outputs u and v), <c>velocity.png</c>, the speed |u| as a
/// heat map under streamlines. An unsteady problem gets one of each per time slice (e.g. <c>velocity-t1.png</c>).
/// </summary>
internal static class SlicePlots
{
    private const int PanelWidth = 640;

    /// <summary>Writes fields{suffix}.png: prediction, exact and error rows, one column per output.</summary>
    public static void SavePanels(string path, FieldSlice slice, string run, ResultsWriterOptions options)
    {
        var panelOptions = options with { FieldWidth = PanelWidth, MaxFieldHeight = 640 };
        var (w, h) = panelOptions.FieldImageSize(slice.Predicted[0]);
        string when = slice.Label.Length > 0 ? $", {slice.Label}" : "";
        int rows = slice.Exact is null ? 1 : 3, columns = slice.Names.Count;
        var panels = new Plot[rows, columns];
        for (int k = 0; k < columns; k++)
        {
            var fields = slice.Exact is null ? new[] { slice.Predicted[k] } : new[] { slice.Predicted[k], slice.Exact[k] };
            var (range, clipped) = ColourRange(fields);
            var scale = new FieldPlot.Scale(new ScottPlot.Colormaps.Turbo(), range);
            string gauge = slice.UpToConstant[k] ? " (up to a constant)" : "";
            string clip = clipped ? ", colours clipped to 1–99 %" : "";
            panels[0, k] = FieldPlot.Create(slice.Predicted[k], $"{slice.Names[k]}: prediction{when}{clip}", scale, w, h);
            if (slice.Exact is null) continue;
            panels[1, k] = FieldPlot.Create(slice.Exact[k], $"{slice.Names[k]}: exact{when}{clip}", scale, w, h);
            var errorScale = new FieldPlot.Scale(new ScottPlot.Colormaps.Inferno(), Log10: true, Decades: options.ErrorDecades);
            panels[2, k] = FieldPlot.Create(slice.Error(k), $"{slice.Names[k]}: error{gauge}", errorScale, w, h);
        }
        const int Header = 50;
        using var surface = SKSurface.Create(new SKImageInfo(columns * w, rows * h + Header));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        using (var font = new SKFont(SKTypeface.FromFamilyName(PlotFonts.Family), 22))
            canvas.DrawText($"{run}{when}", columns * w / 2f, 34, SKTextAlign.Center, font, paint);
        // Each panel is drawn on its own surface: a plot clears the whole canvas it renders on.
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < columns; k++)
            {
                using var panel = SKSurface.Create(new SKImageInfo(w, h));
                panels[r, k].Render(panel.Canvas, w, h);
                using var picture = panel.Snapshot();
                canvas.DrawImage(picture, k * w, Header + r * h);
            }
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
    }

    /// <summary>Writes velocity{suffix}.png: |u| with streamlines of the predicted velocity.</summary>
    public static void SaveVelocity(string path, FieldSlice slice, string run, ResultsWriterOptions options)
    {
        var u = slice.Predicted[slice.IndexOf("u")];
        var v = slice.Predicted[slice.IndexOf("v")];
        var speed = new double[u.Ys.Length, u.Xs.Length];
        for (int j = 0; j < u.Ys.Length; j++)
            for (int i = 0; i < u.Xs.Length; i++) speed[j, i] = Math.Sqrt(u.Values[j, i] * u.Values[j, i] + v.Values[j, i] * v.Values[j, i]);
        var magnitude = new FieldGrid2D(u.Xs, u.Ys, speed, "|u| = √(u² + v²)");
        var (width, height) = options.FieldImageSize(magnitude);
        string when = slice.Label.Length > 0 ? $", {slice.Label}" : "";
        var plot = FieldPlot.Create(magnitude, $"Velocity magnitude and streamlines — {run}{when}", new(new ScottPlot.Colormaps.Viridis()), width, height);
        double x0 = u.Xs[0], x1 = u.Xs[^1], y0 = u.Ys[0], y1 = u.Ys[^1];
        double arrow = 0.018 * Math.Min(x1 - x0, y1 - y0);
        var colour = Colors.White.WithAlpha(0.85);
        foreach (var (xs, ys) in Streamlines.Trace(u, v))
        {
            var line = plot.Add.ScatterLine(xs, ys, colour);
            line.LineWidth = 1.3f;
            line.MarkerSize = 0;
            AddArrowhead(plot, xs, ys, arrow, colour);
        }
        plot.Axes.SetLimits(x0, x1, y0, y1);
        plot.SavePng(path, width, height);
    }

    /// <summary>A small open arrowhead at the middle of a curve, pointing along it.</summary>
    private static void AddArrowhead(Plot plot, double[] xs, double[] ys, double size, Color colour)
    {
        int mid = xs.Length / 2;
        if (mid < 1 || mid + 1 >= xs.Length) return;
        double dx = xs[mid + 1] - xs[mid - 1], dy = ys[mid + 1] - ys[mid - 1], n = Math.Sqrt(dx * dx + dy * dy);
        if (!(n > 0)) return;
        dx /= n;
        dy /= n;
        foreach (double side in new[] { -1.0, 1.0 })
        {
            // Barbs at ±25° behind the tip.
            double c = Math.Cos(25 * Math.PI / 180), s = side * Math.Sin(25 * Math.PI / 180);
            double bx = -(dx * c - dy * s), by = -(dx * s + dy * c);
            var barb = plot.Add.Line(xs[mid], ys[mid], xs[mid] + size * bx, ys[mid] + size * by);
            barb.Color = colour;
            barb.LineWidth = 1.6f;
            barb.MarkerSize = 0;
        }
    }

    /// <summary>
    /// One colour range for the given fields: their full range, or the 1st to 99th percentile of their values when a few
    /// extreme values (e.g. the pressure peaks at a cavity's lid corners) would otherwise squeeze everything else into one
    /// colour; <paramref name="clipped"/> says which.
    /// </summary>
    private static (ScottPlot.Range? Range, bool Clipped) ColourRange(IReadOnlyList<FieldGrid2D> fields)
    {
        var values = fields.SelectMany(f => f.Values.Cast<double>()).Where(double.IsFinite).OrderBy(v => v).ToArray();
        if (values.Length == 0 || !(values[^1] > values[0])) return (null, false);
        double lo = values[(int)(0.01 * (values.Length - 1))], hi = values[(int)Math.Ceiling(0.99 * (values.Length - 1))];
        bool clip = hi > lo && hi - lo < 0.5 * (values[^1] - values[0]);
        return clip ? (new ScottPlot.Range(lo, hi), true) : (new ScottPlot.Range(values[0], values[^1]), false);
    }
}
