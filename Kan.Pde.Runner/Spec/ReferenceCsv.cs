using System.Globalization;

namespace Kan.Pde.Runner.Spec;

/// <summary>
/// Reads reference samples from a small CSV file: lines starting with '#' are comments (sources, citations), the
/// first other line names the columns, each a coordinate of the domain or an output of the problem; an empty cell
/// means no value. Coordinates that are not columns come from <c>at</c> (fixed values).
/// </summary>
internal static class ReferenceCsv
{
    /// <summary>Largest file accepted; reference tables are small.</summary>
    private const long MaxBytes = 10_000_000;

    public static (double[][] Points, double[][] Values, int[] Varying) Read(string path, string shownPath, string fieldPath,
        IReadOnlyList<string> coordinates, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, double> fixedAt, double? snap,
        SpecNode fileNode)
    {
        string[] lines;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxBytes) throw fileNode.Error($"reference file {shownPath} is larger than {MaxBytes} bytes");
            lines = File.ReadAllLines(path);
        }
        catch (SpecException) { throw; }
        catch (Exception e)
        {
            throw fileNode.Error($"cannot read the reference file {shownPath}: {e.Message}");
        }
        SpecException At(int line, int column, string problem) => new(shownPath, line, column, fieldPath, problem);

        int headerLine = Array.FindIndex(lines, l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        if (headerLine < 0) throw At(1, 1, "the file has no header line (column names)");
        var header = lines[headerLine].Split(',').Select(h => h.Trim()).ToArray();
        var coordinateColumn = new int[coordinates.Count];
        var outputColumn = new int[outputs.Count];
        Array.Fill(coordinateColumn, -1);
        Array.Fill(outputColumn, -1);
        for (int c = 0; c < header.Length; c++)
        {
            int d = IndexOf(coordinates, header[c]), k = IndexOf(outputs, header[c]);
            if (d < 0 && k < 0)
                throw At(headerLine + 1, 1, $"unknown column '{header[c]}' (expected coordinates {string.Join(", ", coordinates)} or outputs {string.Join(", ", outputs)})");
            if ((d >= 0 ? coordinateColumn[d] : outputColumn[k]) >= 0) throw At(headerLine + 1, 1, $"column '{header[c]}' appears twice");
            if (d >= 0)
            {
                if (fixedAt.ContainsKey(header[c])) throw At(headerLine + 1, 1, $"coordinate '{header[c]}' is both a column and fixed by 'at'");
                coordinateColumn[d] = c;
            }
            else outputColumn[k] = c;
        }
        var missing = coordinates.Where((name, d) => coordinateColumn[d] < 0 && !fixedAt.ContainsKey(name)).ToArray();
        if (missing.Length > 0)
            throw fileNode.Error($"{shownPath} has no column for {string.Join(", ", missing)}; give {(missing.Length == 1 ? "it" : "them")} a value with 'at'");
        if (outputColumn.All(c => c < 0)) throw At(headerLine + 1, 1, $"no output column (expected some of {string.Join(", ", outputs)})");

        var points = new List<double[]>();
        var values = new List<double[]>();
        for (int i = headerLine + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith('#')) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length) throw At(i + 1, 1, $"expected {header.Length} cells, got {cells.Length}");
            double Cell(int c, bool required)
            {
                string text = cells[c].Trim();
                if (text.Length == 0 && !required) return double.NaN;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                    throw At(i + 1, Column(lines[i], c), $"'{text}' in column '{header[c]}' is not a finite number");
                return v;
            }
            var point = new double[coordinates.Count];
            for (int d = 0; d < coordinates.Count; d++)
            {
                point[d] = coordinateColumn[d] >= 0 ? Cell(coordinateColumn[d], true) : fixedAt[coordinates[d]];
                if (coordinateColumn[d] >= 0 && snap is double h) point[d] = Math.Round(point[d] / h) * h;
            }
            points.Add(point);
            values.Add(outputColumn.Select(c => c >= 0 ? Cell(c, false) : double.NaN).ToArray());
        }
        if (points.Count == 0) throw At(headerLine + 1, 1, "the file has a header but no rows");
        var varying = Enumerable.Range(0, coordinates.Count).Where(d => coordinateColumn[d] >= 0).OrderBy(d => coordinateColumn[d]).ToArray();
        return (points.ToArray(), values.ToArray(), varying);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    /// <summary>1-based column of cell <paramref name="cell"/> in <paramref name="line"/>.</summary>
    private static int Column(string line, int cell)
    {
        int position = 0;
        for (int c = 0; c < cell; c++) position = line.IndexOf(',', position) + 1;
        return position + 1;
    }
}
