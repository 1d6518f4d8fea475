using System.Globalization;
using System.Text;
using Kan.Pde.Runner.Results;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// The state of a run after one optimizer step: its loss and its errors against the exact solution on the
/// evaluation mesh (NaN where the problem has no exact solution, and the H¹ error where it has no exact gradient).
/// </summary>
/// <param name="Step">Global step index (0-based).</param>
/// <param name="Stage">Schedule stage.</param>
/// <param name="Grid">KAN grid size in force (0 for an MLP).</param>
/// <param name="Parameters">Trainable parameters at this step (a KAN's count grows with its grid).</param>
/// <param name="TotalLoss">Weighted total loss of the step.</param>
/// <param name="Terms">Unweighted loss terms, by name in the problem's order.</param>
/// <param name="RelativeL2">‖u − u*‖ / ‖u*‖ over all fields.</param>
/// <param name="L2Squared">mean (u − u*)² over all fields (the paper's L² squared error).</param>
/// <param name="H1Squared">L2Squared + mean |∇u − ∇u*|².</param>
/// <param name="FieldL2Squared">mean (u_k − u*_k)² per field, in output order (gauge removed where the field is up to a constant).</param>
/// <param name="Seconds">Training seconds so far.</param>
public sealed record StepErrors(int Step, int Stage, int Grid, long Parameters, double TotalLoss,
    IReadOnlyList<KeyValuePair<string, double>> Terms, double RelativeL2, double L2Squared, double H1Squared,
    IReadOnlyList<KeyValuePair<string, double>> FieldL2Squared, double Seconds);

/// <summary>
/// <c>step_errors.csv</c>: <c>step,stage,grid,parameters,total_loss,loss_&lt;term&gt;…,relative_l2,l2_squared,h1_squared,
/// l2_squared_&lt;field&gt;…,seconds</c>, doubles in round-trip form, so a comparison resumed from the files reproduces every bit.
/// </summary>
public static class StepErrorsCsv
{
    /// <summary>File name inside a run folder.</summary>
    public const string FileName = "step_errors.csv";

    private const string TermPrefix = "loss_", FieldPrefix = "l2_squared_";

    /// <summary>CSV text with a header and a trailing newline.</summary>
    public static string Format(IReadOnlyList<StepErrors> rows)
    {
        var terms = rows.Count > 0 ? rows[0].Terms.Select(t => t.Key).ToArray() : Array.Empty<string>();
        var fields = rows.Count > 0 ? rows[0].FieldL2Squared.Select(f => f.Key).ToArray() : Array.Empty<string>();
        foreach (var name in terms.Concat(fields))
            if (name.Length == 0 || name.IndexOfAny([',', '"', '\n', '\r']) >= 0)
                throw new ArgumentException($"'{name}' cannot be used in a CSV column name.", nameof(rows));
        var sb = new StringBuilder("step,stage,grid,parameters,total_loss");
        foreach (var t in terms) sb.Append(',').Append(TermPrefix).Append(t);
        sb.Append(",relative_l2,l2_squared,h1_squared");
        foreach (var f in fields) sb.Append(',').Append(FieldPrefix).Append(f);
        sb.Append(",seconds\n");
        foreach (var r in rows)
        {
            sb.Append(Int(r.Step)).Append(',').Append(Int(r.Stage)).Append(',').Append(Int(r.Grid)).Append(',').Append(Int(r.Parameters))
              .Append(',').Append(HistoryCsv.Real(r.TotalLoss));
            foreach (var t in r.Terms) sb.Append(',').Append(HistoryCsv.Real(t.Value));
            sb.Append(',').Append(HistoryCsv.Real(r.RelativeL2)).Append(',').Append(HistoryCsv.Real(r.L2Squared))
              .Append(',').Append(HistoryCsv.Real(r.H1Squared));
            foreach (var f in r.FieldL2Squared) sb.Append(',').Append(HistoryCsv.Real(f.Value));
            sb.Append(',').Append(HistoryCsv.Real(r.Seconds)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Reads text written by <see cref="Format"/>.</summary>
    /// <exception cref="FormatException">The text is not such a file.</exception>
    public static IReadOnlyList<StepErrors> Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) throw new FormatException("empty step-error file");
        var header = lines[0].Split(',');
        int relative = Array.IndexOf(header, "relative_l2");
        string[] head = ["step", "stage", "grid", "parameters", "total_loss"];
        if (relative < head.Length || !header.Take(head.Length).SequenceEqual(head) || header[^1] != "seconds"
            || relative + 3 > header.Length - 1 || header[relative + 1] != "l2_squared" || header[relative + 2] != "h1_squared"
            || header[head.Length..relative].Any(h => !h.StartsWith(TermPrefix, StringComparison.Ordinal))
            || header[(relative + 3)..^1].Any(h => !h.StartsWith(FieldPrefix, StringComparison.Ordinal)))
            throw new FormatException("unexpected step-error header");
        var terms = header[head.Length..relative].Select(h => h[TermPrefix.Length..]).ToArray();
        var fields = header[(relative + 3)..^1].Select(h => h[FieldPrefix.Length..]).ToArray();
        return lines.Skip(1).Select(line =>
        {
            var c = line.Split(',');
            if (c.Length != header.Length) throw new FormatException($"expected {header.Length} columns: {line}");
            double D(int i) => double.Parse(c[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            int I(int i) => int.Parse(c[i], NumberStyles.Integer, CultureInfo.InvariantCulture);
            return new StepErrors(I(0), I(1), I(2), long.Parse(c[3], NumberStyles.Integer, CultureInfo.InvariantCulture), D(4),
                terms.Select((t, k) => new KeyValuePair<string, double>(t, D(head.Length + k))).ToArray(),
                D(relative), D(relative + 1), D(relative + 2),
                fields.Select((f, k) => new KeyValuePair<string, double>(f, D(relative + 3 + k))).ToArray(),
                D(c.Length - 1));
        }).ToArray();
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
