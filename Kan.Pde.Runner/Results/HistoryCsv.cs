using System.Globalization;
using System.Text;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// CSV form of the training history: <c>step,stage,grid,total_loss,&lt;terms…&gt;,relative_l2,seconds</c>.
/// Term columns are the union of all rows' terms, sorted ordinally so the layout is stable across runs;
/// a value a row does not have is left empty. Doubles use the shortest round-trip form in the invariant culture,
/// so parsing the file back reproduces every bit.
/// </summary>
public static class HistoryCsv
{
    /// <summary>Term column names in file order.</summary>
    public static IReadOnlyList<string> TermColumns(IEnumerable<HistoryRow> history) =>
        history.SelectMany(r => r.Terms.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Renders the history as CSV text with a trailing newline.</summary>
    public static string Format(IReadOnlyList<HistoryRow> history)
    {
        var terms = TermColumns(history);
        foreach (var term in terms) RequirePlainColumnName(term);

        var sb = new StringBuilder();
        sb.Append("step,stage,grid,total_loss");
        foreach (var term in terms) sb.Append(',').Append(term);
        sb.Append(",relative_l2,seconds\n");

        foreach (var row in history)
        {
            sb.Append(Int(row.Step)).Append(',').Append(Int(row.Stage)).Append(',').Append(Int(row.GridSize))
              .Append(',').Append(Real(row.TotalLoss));
            foreach (var term in terms)
            {
                sb.Append(',');
                if (row.Terms.TryGetValue(term, out var v)) sb.Append(Real(v));
            }
            sb.Append(',');
            if (row.RelativeL2 is { } rel) sb.Append(Real(rel));
            sb.Append(',').Append(Real(row.Seconds)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the history CSV to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<HistoryRow> history) => File.WriteAllText(path, Format(history));

    /// <summary>Formats a double so that <see cref="double.Parse(string, IFormatProvider)"/> returns the same bits.</summary>
    public static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Term names come from problem specs; refusing separators here beats emitting a file with shifted columns.
    private static void RequirePlainColumnName(string name)
    {
        if (name.Length == 0 || name.IndexOfAny([',', '"', '\n', '\r']) >= 0)
            throw new ArgumentException($"Loss term name '{name}' cannot be used as a CSV column.", nameof(name));
    }
}
