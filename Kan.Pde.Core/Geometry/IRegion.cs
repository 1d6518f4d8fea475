namespace Kan.Pde.Core.Geometry;

/// <summary>
/// A domain described by a signed distance and a parameterization of its boundary, which is all that
/// sampling needs: interior points are points of the bounding box with a negative distance, and a boundary
/// point is addressed by <see cref="BoundaryParameters"/> numbers in [0, 1) spread uniformly (by length or
/// area) over the parts. Set operations combine regions by combining these two ingredients.
/// </summary>
public interface IRegion : IDomain
{
    /// <summary>
    /// Signed distance at one point: negative inside, zero on the boundary, positive outside. Exact for
    /// primitives; for set operations a bound with the right sign and zero set.
    /// </summary>
    double SignedDistance(ReadOnlySpan<double> point);

    /// <summary>Numbers that address one boundary point: D − 1, at least 1.</summary>
    int BoundaryParameters { get; }

    /// <summary>
    /// Length (2-D) or area (3-D) of the parameterized boundary, pieces that a set operation drops included;
    /// 2 in 1-D (two end points, one unit each).
    /// </summary>
    double BoundaryMeasure { get; }

    /// <summary>
    /// The boundary point addressed by <paramref name="u"/> ∈ [0, 1)^BoundaryParameters, its part (index
    /// into <see cref="IDomain.BoundaryParts"/>) and outward unit normal. False when the point is not on the
    /// boundary of this region (a set operation dropped it); uniform u gives points uniform by measure.
    /// </summary>
    bool TryBoundaryPoint(ReadOnlySpan<double> u, Span<double> point, Span<double> normal, out int part);

    /// <summary>
    /// Regularly spaced boundary points: <paramref name="pointsPerPart"/> per coordinate along every part
    /// (edges of a polygon and faces of a box with their end points, circles and spheres evenly divided).
    /// </summary>
    BoundarySample MeshBoundarySample(int pointsPerPart);
}

/// <summary>Boundary points held on the host: row-major coordinates and normals [M · D] with one part index per point.</summary>
/// <param name="Points">Coordinates, point after point.</param>
/// <param name="Parts">Part index per point.</param>
/// <param name="Normals">Outward unit normals, point after point.</param>
/// <param name="Dimension">D.</param>
public sealed record BoundarySample(double[] Points, int[] Parts, double[] Normals, int Dimension)
{
    /// <summary>Number of points.</summary>
    public int Count => Parts.Length;

    /// <summary>As tensors.</summary>
    public BoundaryPoints ToBoundaryPoints(TorchSharp.torch.ScalarType dtype, TorchSharp.torch.Device device) =>
        new(TorchSharp.torch.tensor(Points, new long[] { Count, Dimension }, dtype, device),
            Parts.Select(p => (long)p).ToArray(),
            TorchSharp.torch.tensor(Normals, new long[] { Count, Dimension }, dtype, device));

    /// <summary>Reads tensors back to the host.</summary>
    public static BoundarySample From(BoundaryPoints points)
    {
        var p = points.Points.to(TorchSharp.torch.ScalarType.Float64, TorchSharp.torch.CPU).contiguous();
        var n = points.Normals.to(TorchSharp.torch.ScalarType.Float64, TorchSharp.torch.CPU).contiguous();
        return new BoundarySample(p.data<double>().ToArray(), points.Parts.Select(i => (int)i).ToArray(), n.data<double>().ToArray(),
            (int)points.Points.shape[1]);
    }

    /// <summary>The points whose flag in <paramref name="keep"/> is set, with their part relabelled by <paramref name="relabel"/>.</summary>
    public BoundarySample Where(Func<int, bool> keep, Func<int, int>? relabel = null, bool flipNormals = false)
    {
        var points = new List<double>();
        var normals = new List<double>();
        var parts = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            if (!keep(i)) continue;
            for (int d = 0; d < Dimension; d++)
            {
                points.Add(Points[i * Dimension + d]);
                normals.Add(flipNormals ? -Normals[i * Dimension + d] : Normals[i * Dimension + d]);
            }
            parts.Add(relabel is null ? Parts[i] : relabel(Parts[i]));
        }
        return new BoundarySample(points.ToArray(), parts.ToArray(), normals.ToArray(), Dimension);
    }

    /// <summary>Both samples, one after the other.</summary>
    public BoundarySample Concat(BoundarySample other) =>
        new(Points.Concat(other.Points).ToArray(), Parts.Concat(other.Parts).ToArray(), Normals.Concat(other.Normals).ToArray(), Dimension);
}
