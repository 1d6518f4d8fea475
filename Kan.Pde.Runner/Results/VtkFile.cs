using System.Globalization;
using System.Text;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Legacy VTK (version 3.0, ASCII) rectilinear grid of <see cref="MeshFields"/>, which ParaView, VisIt and the VTK
/// readers open directly: <c>DATASET RECTILINEAR_GRID</c>, the node coordinates per axis, and under <c>POINT_DATA</c>
/// the first field as <c>SCALARS</c> (the one shown when the file is opened) and the others as arrays of a
/// <c>FIELD</c> block. A reader keeps only the first <c>SCALARS</c> section unless told otherwise (checked with
/// VTK 9.1's vtkRectilinearGridReader), whereas every <c>FIELD</c> array is read by default. Meshes of 1 to 3 axes fit (a time axis is just another
/// axis: x, t becomes a 2-D grid); VTK has no 4-D grid, so 4-axis meshes are not written. Numbers are written
/// in round-trip form, so reading the file back gives every value exactly.
/// </summary>
public static class VtkFile
{
    /// <summary>File name inside a results folder.</summary>
    public const string FileName = "fields.vtk";

    /// <summary>True when <paramref name="fields"/> can be written as a VTK grid (1 to 3 axes).</summary>
    public static bool CanWrite(MeshFields fields) => fields.Axes.Count is >= 1 and <= 3;

    /// <summary>The file's text.</summary>
    public static string Format(MeshFields fields, string title)
    {
        fields.Validate();
        if (!CanWrite(fields)) throw new ArgumentException($"VTK grids have at most 3 axes; this mesh has {fields.Axes.Count}");
        var axes = fields.Axes;
        int[] sizes = new int[3];
        for (int d = 0; d < 3; d++) sizes[d] = d < axes.Count ? axes[d].Coordinates.Length : 1;

        var sb = new StringBuilder();
        sb.Append("# vtk DataFile Version 3.0\n");
        // The title line is limited to 256 characters and must not break the line structure.
        string header = $"{title} (axes {string.Join(", ", axes.Select(a => a.Name))})";
        header = new string(header.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        sb.Append(header.Length > 255 ? header[..255] : header).Append('\n');
        sb.Append("ASCII\n");
        sb.Append("DATASET RECTILINEAR_GRID\n");
        sb.Append($"DIMENSIONS {sizes[0]} {sizes[1]} {sizes[2]}\n");
        string[] labels = { "X_COORDINATES", "Y_COORDINATES", "Z_COORDINATES" };
        for (int d = 0; d < 3; d++)
        {
            sb.Append($"{labels[d]} {sizes[d]} double\n");
            var coordinates = d < axes.Count ? axes[d].Coordinates : new[] { 0.0 };
            AppendNumbers(sb, coordinates.Length, i => coordinates[i]);
        }
        long n = fields.PointCount;
        sb.Append($"POINT_DATA {n}\n");
        for (int f = 0; f < fields.Fields.Count; f++)
        {
            var field = fields.Fields[f];
            if (f == 0) sb.Append($"SCALARS {field.Name} double 1\nLOOKUP_TABLE default\n");
            else
            {
                if (f == 1) sb.Append($"FIELD FieldData {fields.Fields.Count - 1}\n");
                sb.Append($"{field.Name} 1 {n} double\n");
            }
            var values = field.Values;
            // VTK runs x fastest; the mesh runs its first axis slowest.
            AppendNumbers(sb, n, p => values[MeshIndex(p, sizes)]);
        }
        return sb.ToString();
    }

    /// <summary>Writes the file.</summary>
    public static void Write(string path, MeshFields fields, string title) =>
        File.WriteAllText(path, Format(fields, title), new UTF8Encoding(false));

    /// <summary>Index in the mesh's order ("ij", first axis slowest) of VTK point <paramref name="p"/> (x fastest).</summary>
    public static long MeshIndex(long p, IReadOnlyList<int> sizes)
    {
        long i = p % sizes[0], j = p / sizes[0] % sizes[1], k = p / ((long)sizes[0] * sizes[1]);
        return (i * sizes[1] + j) * sizes[2] + k;
    }

    private static void AppendNumbers(StringBuilder sb, long count, Func<long, double> value)
    {
        for (long i = 0; i < count; i++)
        {
            sb.Append(value(i).ToString("R", CultureInfo.InvariantCulture));
            sb.Append(i % 9 == 8 || i == count - 1 ? '\n' : ' ');
        }
    }
}
