using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Geometry;

/// <summary>One coordinate interval of a box, e.g. x ∈ [-1, 1].</summary>
public sealed record Interval(string Name, double Lo, double Hi)
{
    /// <summary>Hi - Lo.</summary>
    public double Length => Hi - Lo;
}

/// <summary>
/// An axis-aligned box with its 2·D faces named "x-min", "x-max", "y-min", ….
/// Samples interior points (mesh with edges included, or uniform random) and boundary points
/// (a mesh on every face, or random points spread over faces in proportion to their area).
/// </summary>
public sealed partial class Box : IRegion
{
    /// <summary>Creates the box; intervals are taken in order as coordinates 0..D-1.</summary>
    public Box(IReadOnlyList<Interval> axes)
    {
        if (axes.Count < 1 || axes.Count > 4) throw new ArgumentException("a box has 1 to 4 dimensions");
        foreach (var a in axes)
            if (!(a.Hi > a.Lo) || double.IsInfinity(a.Lo) || double.IsInfinity(a.Hi))
                throw new ArgumentException($"interval {a.Name} = [{a.Lo}, {a.Hi}] must be finite with lo < hi");
        Axes = axes.ToArray();
    }

    /// <summary>The coordinate intervals.</summary>
    public IReadOnlyList<Interval> Axes { get; }

    /// <summary>D.</summary>
    public int Dimension => Axes.Count;

    /// <summary>Face names in a fixed order: axis 0 min, axis 0 max, axis 1 min, ….</summary>
    public IReadOnlyList<string> FaceNames => Axes.SelectMany(a => new[] { a.Name + "-min", a.Name + "-max" }).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<string> Variables => Axes.Select(a => a.Name).ToArray();

    /// <inheritdoc />
    public Box Bounds => this;

    /// <inheritdoc />
    public IReadOnlyList<string> BoundaryParts => FaceNames;

    /// <inheritdoc />
    public Tensor Contains(Tensor points)
    {
        var inside = ones(points.shape[0], ScalarType.Bool, points.device);
        for (int d = 0; d < Dimension; d++)
        {
            var c = points.select(1, d);
            inside = inside & (c >= Axes[d].Lo) & (c <= Axes[d].Hi);
        }
        return inside;
    }

    /// <inheritdoc />
    public Tensor MeshInterior(IReadOnlyList<int> pointsPerAxis, ScalarType dtype, Device device) => Mesh(pointsPerAxis, dtype, device);


    /// <summary>Outward unit normal of face f (2d: −e_d, 2d+1: +e_d) for each label.</summary>
    private Tensor FaceNormals(IReadOnlyList<long> faces, ScalarType dtype, Device device)
    {
        var normals = new double[faces.Count * Dimension];
        for (int n = 0; n < faces.Count; n++)
            normals[n * Dimension + faces[n] / 2] = faces[n] % 2 == 0 ? -1 : 1;
        return tensor(normals, new long[] { faces.Count, Dimension }, dtype, device);
    }

    /// <summary>Tensor-product mesh with <paramref name="pointsPerAxis"/>[d] points per axis, edges included: [Π n_d, D].</summary>
    public Tensor Mesh(IReadOnlyList<int> pointsPerAxis, ScalarType dtype, Device device)
    {
        if (pointsPerAxis.Count != Dimension) throw new ArgumentException($"need {Dimension} mesh sizes, got {pointsPerAxis.Count}");
        var lines = Axes.Select((a, d) => linspace(a.Lo, a.Hi, pointsPerAxis[d], dtype: dtype, device: device)).ToArray();
        var grids = meshgrid(lines, indexing: "ij");
        return stack(grids.Select(g => g.reshape(-1)).ToArray(), 1);
    }

    /// <summary>Uniform random interior points [count, D].</summary>
    public Tensor RandomInterior(int count, ScalarType dtype, Device device, Generator generator)
    {
        var u = rand(new long[] { count, Dimension }, dtype, CPU, generator: generator).to(device);
        return u * Lengths(dtype, device) + Lows(dtype, device);
    }

    /// <summary>
    /// A mesh of <paramref name="pointsPerAxis"/> points per remaining coordinate on every face (one point
    /// per face in 1-D), labelled with the face each lies on.
    /// </summary>
    public BoundaryPoints MeshBoundary(int pointsPerAxis, ScalarType dtype, Device device)
    {
        var parts = new List<Tensor>();
        var faces = new List<long>();
        for (int d = 0; d < Dimension; d++)
            for (int side = 0; side < 2; side++)
            {
                Tensor face;
                if (Dimension == 1) face = zeros(new long[] { 1, 1 }, dtype, device);
                else
                {
                    var others = Axes.Where((_, e) => e != d).ToArray();
                    var sub = new Box(others).Mesh(Enumerable.Repeat(pointsPerAxis, others.Length).ToArray(), dtype, device);
                    var columns = new List<Tensor>();
                    int o = 0;
                    for (int e = 0; e < Dimension; e++)
                        columns.Add(e == d ? zeros(new long[] { sub.shape[0] }, dtype, device) : sub.select(1, o++));
                    face = stack(columns, 1);
                }
                face[TensorIndex.Colon, d] = side == 0 ? Axes[d].Lo : Axes[d].Hi;
                parts.Add(face);
                faces.AddRange(Enumerable.Repeat((long)(2 * d + side), (int)face.shape[0]));
            }
        return new BoundaryPoints(cat(parts, 0), faces.ToArray(), FaceNormals(faces, dtype, device));
    }

    /// <summary>Random boundary points, each face receiving a share proportional to its area (equal in 1-D).</summary>
    public BoundaryPoints RandomBoundary(int count, ScalarType dtype, Device device, Generator generator)
    {
        var areas = new double[2 * Dimension];
        for (int d = 0; d < Dimension; d++)
        {
            double area = 1;
            for (int e = 0; e < Dimension; e++) if (e != d) area *= Axes[e].Length;
            areas[2 * d] = areas[2 * d + 1] = area;
        }
        var cumulative = areas.Select((_, i) => areas.Take(i + 1).Sum() / areas.Sum()).ToArray();
        var pick = rand(new long[] { count }, ScalarType.Float64, CPU, generator: generator).data<double>().ToArray();
        var faces = pick.Select(p => (long)Array.FindIndex(cumulative, c => p < c)).Select(f => f < 0 ? 2L * Dimension - 1 : f).ToArray();
        var points = rand(new long[] { count, Dimension }, ScalarType.Float64, CPU, generator: generator).data<double>().ToArray();
        for (int n = 0; n < count; n++)
        {
            int d = (int)(faces[n] / 2);
            for (int e = 0; e < Dimension; e++)
                points[n * Dimension + e] = e == d
                    ? (faces[n] % 2 == 0 ? Axes[d].Lo : Axes[d].Hi)
                    : Axes[e].Lo + Axes[e].Length * points[n * Dimension + e];
        }
        return new BoundaryPoints(tensor(points, new long[] { count, Dimension }, dtype, device), faces, FaceNormals(faces, dtype, device));
    }

    private Tensor Lows(ScalarType dtype, Device device) => tensor(Axes.Select(a => a.Lo).ToArray(), dtype, device);

    private Tensor Lengths(ScalarType dtype, Device device) => tensor(Axes.Select(a => a.Length).ToArray(), dtype, device);
}
