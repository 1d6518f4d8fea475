using System.Text;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// <c>fields.csv</c>: one row per evaluation-mesh node, the coordinates first (one column per axis, named after it)
/// and then every field (<c>u</c>, <c>u_exact</c>, <c>u_error</c>, … for each output), in the mesh's point order.
/// Numbers are in round-trip form.
/// </summary>
public static class FieldsCsv
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "fields.csv";

    /// <summary>The file's text with a trailing newline.</summary>
    public static string Format(MeshFields fields)
    {
        fields.Validate();
        var axes = fields.Axes;
        var sb = new StringBuilder();
        sb.Append(string.Join(",", axes.Select(a => a.Name).Concat(fields.Fields.Select(f => f.Name)))).Append('\n');
        long n = fields.PointCount;
        var index = new int[axes.Count];
        for (long p = 0; p < n; p++)
        {
            // Decompose p in the mesh's order: the last axis runs fastest.
            long rest = p;
            for (int d = axes.Count - 1; d >= 0; d--)
            {
                index[d] = (int)(rest % axes[d].Coordinates.Length);
                rest /= axes[d].Coordinates.Length;
            }
            for (int d = 0; d < axes.Count; d++)
                sb.Append(d > 0 ? "," : "").Append(HistoryCsv.Real(axes[d].Coordinates[index[d]]));
            foreach (var field in fields.Fields)
                sb.Append(',').Append(HistoryCsv.Real(field.Values[p]));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the file.</summary>
    public static void Write(string path, MeshFields fields) => File.WriteAllText(path, Format(fields), new UTF8Encoding(false));
}
