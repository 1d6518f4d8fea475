namespace Kan.Pde.Runner.Results;

/// <summary>One coordinate axis of a tensor-product mesh: its name ("x", "t", …) and strictly increasing node coordinates.</summary>
public sealed record MeshAxis(string Name, double[] Coordinates);

/// <summary>A named scalar field with one value per mesh node, in the mesh's point order.</summary>
public sealed record NamedField(string Name, double[] Values);

/// <summary>
/// Scalar fields on a tensor-product mesh (the evaluation mesh of a run): for every output of the problem the
/// prediction, and when an exact solution is known the reference and the error. Values are in the mesh's point
/// order, first axis slowest ("ij" order: in 2-D, point index = ix·ny + iy), as <c>Box.Mesh</c> lays them out.
/// VTK, CSV and plots all read this one structure, so fields added by a problem family reach every output.
/// </summary>
public sealed record MeshFields(IReadOnlyList<MeshAxis> Axes, IReadOnlyList<NamedField> Fields)
{
    /// <summary>True when the mesh covers the bounding box of a non-box domain: nodes outside it hold NaN.</summary>
    public bool Masked { get; init; }

    /// <summary>Number of mesh nodes (product of the axis lengths).</summary>
    public long PointCount => Axes.Aggregate(1L, (n, a) => n * a.Coordinates.Length);

    /// <summary>The field called <paramref name="name"/>, or null.</summary>
    public NamedField? Find(string name) => Fields.FirstOrDefault(f => f.Name == name);

    /// <summary>Throws <see cref="ArgumentException"/> unless axes and fields describe one consistent mesh.</summary>
    public void Validate()
    {
        if (Axes is null || Fields is null || Axes.Count == 0) throw new ArgumentException("a mesh needs at least one axis");
        foreach (var axis in Axes)
        {
            if (axis.Coordinates is null || axis.Coordinates.Length < 1)
                throw new ArgumentException($"axis '{axis.Name}' has no coordinates");
            for (int i = 1; i < axis.Coordinates.Length; i++)
                if (!(axis.Coordinates[i] > axis.Coordinates[i - 1]))
                    throw new ArgumentException($"axis '{axis.Name}' coordinates are not strictly increasing at index {i}");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            if (string.IsNullOrEmpty(field.Name) || field.Name.Any(c => char.IsWhiteSpace(c) || c is ',' or '"'))
                throw new ArgumentException($"field name '{field.Name}' cannot be written (no spaces, commas or quotes)");
            if (!names.Add(field.Name)) throw new ArgumentException($"field '{field.Name}' appears twice");
            if (field.Values is null || field.Values.LongLength != PointCount)
                throw new ArgumentException($"field '{field.Name}' has {field.Values?.LongLength ?? 0} values for {PointCount} mesh nodes");
        }
    }

    /// <summary>
    /// The 2-D heat-map form of field <paramref name="name"/> (values [iy, ix]); null unless the mesh has exactly two axes.
    /// </summary>
    public FieldGrid2D? ToGrid2D(string name, string label)
    {
        if (Axes.Count != 2 || Find(name) is not { } field) return null;
        var xs = Axes[0].Coordinates;
        var ys = Axes[1].Coordinates;
        var grid = new double[ys.Length, xs.Length];
        for (int ix = 0; ix < xs.Length; ix++)
            for (int iy = 0; iy < ys.Length; iy++) grid[iy, ix] = field.Values[ix * ys.Length + iy];
        return new FieldGrid2D(xs, ys, grid, label) { Masked = Masked };
    }
}
