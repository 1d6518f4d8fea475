using System.Globalization;
using Kan.Pde.Runner.Results;
using ScottPlot;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>extension-spikes RUN_A RUN_B [--labels A,B] [--window W] --output DIR</c>: compares the total loss of two runs
/// (their results folders) around each grid extension, e.g. Adam state reset against carried. For every extension
/// step s it reports the loss just before, the highest loss in the W steps from s on (the spike, also as a ratio),
/// and the steps until the loss is back below its value before; writes <c>spikes.md</c> and <c>spikes.png</c>.
/// A step's loss is the one its first evaluation saw, so the row at the extension step shows the refitted network
/// before any update.
/// </summary>
public static class ExtensionSpikesCommand
{
    /// <summary>Usage of the command.</summary>
    public const string Usage = "usage: kan-pde extension-spikes RUN_A RUN_B [--labels A,B] [--window W] --output DIR";

    /// <summary>One extension of one run.</summary>
    public sealed record Spike(int Step, int FromGrid, int ToGrid, double Before, double Peak, int? RecoverySteps)
    {
        /// <summary>Peak / before.</summary>
        public double Ratio => Peak / Before;
    }

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var runs = new List<string>();
        string[]? labels = null;
        string? outputDir = null;
        int window = 100;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--labels": labels = Next(args, ref i).Split(','); break;
                case "--window":
                    if (!int.TryParse(Next(args, ref i), out window) || window < 1) throw new UsageException("--window needs a positive integer");
                    break;
                case "--output" or "-o": outputDir = Next(args, ref i); break;
                case "--help" or "-h": output.WriteLine(Usage); return ExitCodes.Success;
                default:
                    if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}' for extension-spikes");
                    runs.Add(args[i]);
                    break;
            }
        }
        if (runs.Count != 2 || outputDir is null) throw new UsageException(Usage);
        labels ??= runs.Select(r => Path.GetFileName(Path.TrimEndingDirectorySeparator(r))).ToArray();
        if (labels.Length != 2) throw new UsageException("--labels needs two names separated by a comma");
        var histories = runs.Select(r => ReadHistory(Path.Combine(r, ResultsWriter.HistoryFile))).ToArray();
        var spikes = histories.Select(h => Spikes(h, window)).ToArray();

        Directory.CreateDirectory(outputDir);
        var table = new StringWriter();
        table.WriteLine($"Total loss around grid extensions (window {window} steps).");
        table.WriteLine();
        table.WriteLine("| run | step | grid | loss before | peak after | peak / before | steps to recover |");
        table.WriteLine("|---|---:|---|---:|---:|---:|---:|");
        for (int r = 0; r < 2; r++)
            foreach (var s in spikes[r])
                table.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {labels[r]} | {s.Step} | {s.FromGrid}→{s.ToGrid} | {s.Before:E3} | {s.Peak:E3} | {s.Ratio:F2} | {(s.RecoverySteps is int k ? k.ToString() : "not within window")} |"));
        File.WriteAllText(Path.Combine(outputDir, "spikes.md"), table.ToString());
        Plot(Path.Combine(outputDir, "spikes.png"), histories, labels, spikes);
        output.Write(table.ToString());
        return ExitCodes.Success;
    }

    /// <summary>(step, grid, total loss) rows of a history.csv.</summary>
    public static IReadOnlyList<(int Step, int Grid, double Total)> ReadHistory(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"no history at {path}");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int step = Array.IndexOf(header, "step"), grid = Array.IndexOf(header, "grid"), total = Array.IndexOf(header, "total_loss");
        if (step < 0 || grid < 0 || total < 0) throw new UsageException($"{path} is not a history.csv (needs step, grid and total_loss)");
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(c => (
            int.Parse(c[step], CultureInfo.InvariantCulture), int.Parse(c[grid], CultureInfo.InvariantCulture),
            double.Parse(c[total], CultureInfo.InvariantCulture))).ToArray();
    }

    /// <summary>The spike at every change of the grid column.</summary>
    public static IReadOnlyList<Spike> Spikes(IReadOnlyList<(int Step, int Grid, double Total)> history, int window)
    {
        var result = new List<Spike>();
        for (int i = 1; i < history.Count; i++)
        {
            if (history[i].Grid == history[i - 1].Grid) continue;
            double before = history[i - 1].Total, peak = double.NegativeInfinity;
            int peakAt = i, end = Math.Min(history.Count, i + window);
            for (int j = i; j < end; j++)
                if (history[j].Total > peak) { peak = history[j].Total; peakAt = j; }
            // Recovered when the loss, after its peak, is back at or below its value before the extension.
            int? recovery = null;
            for (int j = peakAt; j < end && recovery is null; j++)
                if (history[j].Total <= before) recovery = j - i;
            result.Add(new Spike(history[i].Step, history[i - 1].Grid, history[i].Grid, before, peak, recovery));
        }
        return result;
    }

    private static void Plot(string path, IReadOnlyList<(int Step, int Grid, double Total)>[] histories, string[] labels, IReadOnlyList<Spike>[] spikes)
    {
        PlotFonts.EnsureRegistered();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < histories.Length; r++)
        {
            var h = histories[r];
            var line = plot.Add.ScatterLine(h.Select(p => (double)p.Step).ToArray(), h.Select(p => Math.Log10(p.Total)).ToArray(), palette.GetColor(r));
            line.LineWidth = 1.6f;
            line.LegendText = labels[r];
        }
        foreach (var s in spikes[0])
        {
            var v = plot.Add.VerticalLine(s.Step - 0.5, 1, Colors.Gray, LinePattern.Dashed);
            v.Text = $"G {s.FromGrid}→{s.ToGrid}";
        }
        plot.Axes.Left.TickGenerator = LogTicks.Decades();
        plot.Title("Total loss around grid extensions", size: 17);
        plot.XLabel("step", size: 15);
        plot.YLabel("total loss (log scale)", size: 15);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 560);
    }

    private static string Next(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"option '{args[i]}' needs a value");
        return args[++i];
    }
}
