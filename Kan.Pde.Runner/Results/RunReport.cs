using System.Globalization;
using System.Net;
using System.Text;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// <c>report.html</c>: one self-describing page per run, to open in a browser: what was solved with which model,
/// the error metrics (overall and per field), the final losses and costs, every figure of the folder, the list of
/// data files, and the spec that produced the run. Images are linked relatively, so the folder can be moved whole.
/// </summary>
public static class RunReport
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "report.html";

    // Figures in reading order; any other PNG of the folder follows in name order.
    private static readonly string[] FigureOrder = { ResultsWriter.ConvergenceFile, ResultsWriter.SolutionFile, ResultsWriter.ExactFile, ResultsWriter.ErrorFile };

    /// <summary>The page for <paramref name="record"/>, showing the figures <paramref name="figures"/> and listing <paramref name="files"/>.</summary>
    public static string Format(RunRecord record, IReadOnlyCollection<string> figures, IReadOnlyCollection<string> files)
    {
        var m = record.Metrics;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append($"<title>{H(m.Name)} — kan-pde report</title>\n");
        sb.Append("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}" +
                  "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 10px;text-align:left}" +
                  "td.n{text-align:right;font-family:monospace}img{max-width:100%;border:1px solid #eee;margin:0.5em 0}" +
                  "pre{background:#f6f6f6;padding:0.8em;overflow-x:auto}</style>\n</head>\n<body>\n");
        sb.Append($"<h1>{H(m.Name)}</h1>\n");
        sb.Append($"<p>{H(m.ProblemFamily)} solved with {H(m.Model)} ({m.Parameters:N0} parameters), {H(m.Dtype)} on {H(m.Device)}, seed {m.Seed}.</p>\n");

        sb.Append("<h2>Errors on the evaluation mesh</h2>\n<table>\n");
        Row(sb, "relative L2 ‖u − u*‖ / ‖u*‖", Num(m.RelativeL2));
        Row(sb, "max |u − u*|", Num(m.MaxAbsError));
        Row(sb, "L² squared error, mean (u − u*)²", Num(m.L2SquaredError));
        Row(sb, "H¹ squared error", Num(m.H1SquaredError));
        sb.Append("</table>\n");
        if (m.Components.Count > 0)
        {
            sb.Append("<table>\n<tr><th>field</th><th>relative L2</th><th>max |error|</th><th>L² squared</th><th>compared</th></tr>\n");
            foreach (var c in m.Components)
                sb.Append($"<tr><td>{H(c.Name)}</td><td class=\"n\">{Num(c.RelativeL2)}</td><td class=\"n\">{Num(c.MaxAbsError)}</td>" +
                          $"<td class=\"n\">{Num(c.L2SquaredError)}</td><td>{(c.UpToConstant ? "up to a constant" : "as is")}</td></tr>\n");
            sb.Append("</table>\n");
        }

        sb.Append("<h2>Training</h2>\n<table>\n");
        foreach (var (term, value) in m.FinalLosses.OrderBy(t => t.Key, StringComparer.Ordinal))
            Row(sb, $"final loss term {term} (unweighted mean square)", Num(value));
        Row(sb, "final weighted total loss", Num(m.FinalTotalLoss));
        Row(sb, "optimizer steps", m.Steps.ToString("N0", CultureInfo.InvariantCulture));
        Row(sb, "loss evaluations", m.LossEvaluations.ToString("N0", CultureInfo.InvariantCulture));
        Row(sb, "training seconds", m.TrainingSeconds.ToString("F1", CultureInfo.InvariantCulture));
        Row(sb, "wall seconds (whole run)", m.WallSeconds.ToString("F1", CultureInfo.InvariantCulture));
        if (record.GridChanges.Count > 0)
            Row(sb, "grid changes", string.Join(", ", record.GridChanges.Select(g => $"G {g.FromGrid}→{g.ToGrid} at step {g.Step}")));
        sb.Append("</table>\n");

        var ordered = FigureOrder.Where(figures.Contains).Concat(figures.Except(FigureOrder).Order(StringComparer.Ordinal)).ToArray();
        if (ordered.Length > 0)
        {
            sb.Append("<h2>Figures</h2>\n");
            foreach (var figure in ordered)
                sb.Append($"<figure><img src=\"{H(Uri.EscapeDataString(figure))}\" alt=\"{H(figure)}\"><figcaption>{H(figure)}</figcaption></figure>\n");
        }

        sb.Append("<h2>Files</h2>\n<ul>\n");
        foreach (var file in files.Order(StringComparer.Ordinal))
            sb.Append($"<li><a href=\"{H(Uri.EscapeDataString(file))}\">{H(file)}</a>{H(Describe(file))}</li>\n");
        sb.Append("</ul>\n");

        if (record.SpecText is { } spec)
            sb.Append($"<h2>Spec</h2>\n<p>{H(m.SpecFile ?? "")}</p>\n<pre>{H(spec)}</pre>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Writes the page for the folder <paramref name="dir"/> as it is now (its PNGs and other files).</summary>
    public static void Write(string dir, RunRecord record)
    {
        var names = Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>().Where(f => f != FileName).ToArray();
        var figures = names.Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).ToArray();
        File.WriteAllText(Path.Combine(dir, FileName), Format(record, figures, names.Append(FileName).ToArray()), new UTF8Encoding(false));
    }

    private static string Describe(string file) => file switch
    {
        ResultsWriter.MetricsFile => " — final metrics (JSON)",
        ResultsWriter.HistoryFile => " — loss terms and error per step (CSV)",
        FieldsCsv.FileName => " — fields on the evaluation mesh (CSV)",
        VtkFile.FileName => " — fields on the evaluation mesh (legacy VTK, opens in ParaView)",
        ResultsWriter.SpecCopyFile => " — the spec of this run",
        FileName => " — this page",
        _ => "",
    };

    private static void Row(StringBuilder sb, string label, string value) =>
        sb.Append($"<tr><td>{H(label)}</td><td class=\"n\">{H(value)}</td></tr>\n");

    private static string Num(double value) => double.IsFinite(value) ? value.ToString("E3", CultureInfo.InvariantCulture) : "—";

    private static string H(string text) => WebUtility.HtmlEncode(text);
}
