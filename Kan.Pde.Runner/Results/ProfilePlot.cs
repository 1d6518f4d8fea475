using ScottPlot;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// <c>reference-NAME.png</c>: the trained outputs along the line of a reference set (curves) with the reference samples
/// (markers), e.g. a cavity's u along x = 0.5 against Ghia et al.'s table.
/// </summary>
internal static class ProfilePlot
{
    public static void Save(string path, Profile profile, string run, ResultsWriterOptions options)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int i = 0;
        foreach (var (output, predicted, at, value) in profile.Outputs)
        {
            var colour = palette.GetColor(i++);
            var curve = plot.Add.ScatterLine(profile.Along, predicted, colour);
            curve.LineWidth = 2;
            curve.MarkerSize = 0;
            curve.LegendText = $"{output}, trained";
            var samples = plot.Add.ScatterPoints(at, value, colour);
            samples.MarkerSize = 9;
            samples.MarkerShape = MarkerShape.OpenCircle;
            samples.MarkerLineWidth = 2;
            samples.LegendText = $"{output}, reference ({Path.GetFileName(profile.Source)})";
        }
        plot.Title($"{string.Join(", ", profile.Outputs.Select(o => o.Output))} along {profile.Line} — {run}", size: 17);
        plot.XLabel(profile.Coordinate, size: 16);
        plot.YLabel(string.Join(", ", profile.Outputs.Select(o => o.Output)), size: 16);
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontSize = 14;
        plot.Axes.SetLimitsX(profile.Along[0], profile.Along[^1]);
        plot.SavePng(path, options.ConvergenceWidth * 3 / 4, options.ConvergenceHeight * 2 / 3);
    }
}
