using Kan.Pde.Core.Interpretation;
using ScottPlot;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// <c>kan.png</c>: a KAN drawn as pykan's plot draws it. Nodes sit in rows (inputs at the bottom, outputs at the top);
/// between two rows every edge has a small box showing its activation φ(x) over the range of its sampled inputs, joined
/// by lines to its input and output nodes. Line and curve opacity follow the edge's importance relative to the largest
/// in its layer; symbolic edges are drawn in red with the function's name, splines in black; pruned edges are left out.
/// </summary>
public static class KanPlot
{
    /// <summary>Side of an activation box, gap between boxes, height of one layer, margins (pixels).</summary>
    public const int Box = 90, BoxGap = 24, LayerHeight = 250, Side = 50, Bottom = 50, Top = 85;

    /// <summary>
    /// Image size for a KAN of these widths: wide enough for the busiest row of boxes or nodes (one box and gap each),
    /// plus side margins; one layer height per layer plus the bottom and top (title) margins.
    /// </summary>
    public static (int Width, int Height) ImageSize(IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count < 2 || widths.Any(w => w < 1)) throw new ArgumentException("a KAN needs at least two positive widths", nameof(widths));
        int slots = widths.Max();
        for (int l = 0; l + 1 < widths.Count; l++) slots = Math.Max(slots, widths[l] * widths[l + 1]);
        return (2 * Side + slots * (Box + BoxGap), Bottom + Top + (widths.Count - 1) * LayerHeight);
    }

    /// <summary>Draws <paramref name="diagram"/> into a PNG at <paramref name="path"/>.</summary>
    public static void Save(string path, KanDiagram diagram, string title)
    {
        ArgumentNullException.ThrowIfNull(diagram);
        PlotFonts.EnsureRegistered();
        var widths = diagram.Widths;
        var (width, height) = ImageSize(widths);
        var plot = new Plot();
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;

        double inner = width - 2 * Side;
        double NodeX(int boundary, int node) => Side + (node + 0.5) * inner / widths[boundary];
        double NodeY(int boundary) => Bottom + boundary * LayerHeight;

        var maxPerLayer = Enumerable.Range(0, widths.Count - 1)
            .Select(l => diagram.Edges.Where(e => e.Edge.Layer == l && !e.Pruned).Select(e => e.Importance).DefaultIfEmpty(0).Max())
            .ToArray();

        foreach (var curve in diagram.Edges)
        {
            if (curve.Pruned) continue;
            var (l, i, j) = (curve.Edge.Layer, curve.Edge.Input, curve.Edge.Output);
            int boxes = widths[l] * widths[l + 1];
            int slot = i * widths[l + 1] + j;
            double cx = Side + (slot + 0.5) * inner / boxes;
            double cy = NodeY(l) + LayerHeight / 2.0;
            double half = Box / 2.0;
            double strength = maxPerLayer[l] > 0 ? Math.Clamp(curve.Importance / maxPerLayer[l], 0, 1) : 0;
            // Faint but visible for weak edges, so that nothing disappears before it is pruned.
            double alpha = 0.12 + 0.88 * Math.Sqrt(strength);
            var ink = (curve.Function is null ? Colors.Black : new Color(200, 30, 30)).WithAlpha(alpha);

            AddLine(plot, NodeX(l, i), NodeY(l), cx, cy - half, ink, 1.4f);
            AddLine(plot, cx, cy + half, NodeX(l + 1, j), NodeY(l + 1), ink, 1.4f);

            var frame = plot.Add.Rectangle(cx - half, cx + half, cy - half, cy + half);
            frame.FillStyle.Color = Colors.White;
            frame.LineStyle.Color = Colors.Gray.WithAlpha(0.25 + 0.5 * alpha);
            frame.LineStyle.Width = 1;

            if (curve.Inputs.Length >= 2) AddCurve(plot, curve, cx, cy, half - 8, ink);
            if (curve.Function is { } name)
            {
                var label = plot.Add.Text(name, cx - half + 4, cy + half - 3);
                label.LabelFontSize = 12;
                label.LabelFontColor = new Color(200, 30, 30);
                label.LabelAlignment = Alignment.UpperLeft;
            }
        }

        for (int b = 0; b < widths.Count; b++)
            for (int n = 0; n < widths[b]; n++)
            {
                var node = plot.Add.Marker(NodeX(b, n), NodeY(b), MarkerShape.FilledCircle, 13, Colors.Black);
                node.LegendText = "";
                string? name = b == 0 ? diagram.InputNames[n] : b == widths.Count - 1 ? diagram.OutputNames[n] : null;
                if (name is null) continue;
                var text = plot.Add.Text(name, NodeX(b, n), b == 0 ? NodeY(b) - 14 : NodeY(b) + 14);
                text.LabelFontSize = 17;
                text.LabelBold = true;
                text.LabelAlignment = b == 0 ? Alignment.UpperCenter : Alignment.LowerCenter;
            }

        var heading = plot.Add.Text(title, width / 2.0, height - 12);
        // A long title on a narrow network shrinks rather than running off the image (DejaVu Sans: ~0.6 em per character).
        heading.LabelFontSize = (float)Math.Clamp((width - 20) / (0.6 * Math.Max(1, title.Length)), 9, 17);
        heading.LabelAlignment = Alignment.UpperCenter;

        plot.Axes.SetLimits(0, width, 0, height);
        plot.SavePng(path, width, height);
    }

    /// <summary>The activation scaled into its box: inputs across, values up, each to its own range.</summary>
    private static void AddCurve(Plot plot, EdgeCurve curve, double cx, double cy, double half, Color ink)
    {
        double x0 = curve.Inputs.Min(), x1 = curve.Inputs.Max();
        double y0 = curve.Values.Min(), y1 = curve.Values.Max();
        // A (nearly) constant activation is drawn as a flat line through the middle of the box.
        bool flat = !(y1 - y0 > 1e-12 * Math.Max(1, Math.Abs(y0) + Math.Abs(y1)));
        var xs = curve.Inputs.Select(v => x1 > x0 ? cx - half + 2 * half * (v - x0) / (x1 - x0) : cx).ToArray();
        var ys = curve.Values.Select(v => flat ? cy : cy - half + 2 * half * (v - y0) / (y1 - y0)).ToArray();
        var line = plot.Add.ScatterLine(xs, ys, ink);
        line.LineWidth = 2;
    }

    private static void AddLine(Plot plot, double x0, double y0, double x1, double y1, Color color, float width)
    {
        var line = plot.Add.Line(x0, y0, x1, y1);
        line.LineColor = color;
        line.LineWidth = width;
        line.MarkerSize = 0;
    }
}
