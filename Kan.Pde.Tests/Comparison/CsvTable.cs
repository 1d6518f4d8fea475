using System.Globalization;
using System.Text;

namespace Kan.Pde.Tests.Comparison;

/// <summary>A CSV file read back for assertions: RFC 4180 quoting, header row, cells by column name.</summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, List<string[]> rows)
    {
        Header = header;
        Rows = rows;
    }

    public string[] Header { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public static CsvTable Read(string path)
    {
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Split(lines[0]);
        var rows = lines.Skip(1).Select(Split).ToList();
        foreach (var row in rows)
            if (row.Length != header.Length) throw new InvalidDataException($"{path}: a row has {row.Length} cells, the header {header.Length}");
        return new CsvTable(header, rows);
    }

    public string Cell(int row, string column)
    {
        int c = Array.IndexOf(Header, column);
        if (c < 0) throw new ArgumentException($"no column '{column}' (have {string.Join(",", Header)})");
        return Rows[row][c];
    }

    public double Number(int row, string column) => double.Parse(Cell(row, column), NumberStyles.Float, CultureInfo.InvariantCulture);

    public int RowWhere(string column, string value)
    {
        for (int r = 0; r < Rows.Count; r++)
            if (Cell(r, column) == value) return r;
        throw new ArgumentException($"no row with {column} = {value}");
    }

    private static string[] Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells.ToArray();
    }
}
