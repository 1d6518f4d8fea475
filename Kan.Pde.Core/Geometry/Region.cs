using Kan.Pde.Core.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Geometry;

/// <summary>
/// Base of the shapes other than boxes: the <see cref="IDomain"/> operations (containment, random and
/// mesh sampling) follow from the signed distance and the boundary parameterization.
/// </summary>
public abstract class Region : IRegion
{
    /// <summary>Creates a region over the given coordinate names.</summary>
    protected Region(IReadOnlyList<string> variables)
    {
        if (variables.Count < 1 || variables.Count > 3) throw new ArgumentException("a shape has 1 to 3 coordinates");
        Variables = variables.ToArray();
    }

    /// <inheritdoc />
    public int Dimension => Variables.Count;

    /// <inheritdoc />
    public IReadOnlyList<string> Variables { get; }

    /// <inheritdoc />
    public abstract Box Bounds { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<string> BoundaryParts { get; }

    /// <inheritdoc />
    public abstract double SignedDistance(ReadOnlySpan<double> point);

    /// <inheritdoc />
    public int BoundaryParameters => Math.Max(1, Dimension - 1);

    /// <inheritdoc />
    public abstract double BoundaryMeasure { get; }

    /// <inheritdoc />
    public abstract bool TryBoundaryPoint(ReadOnlySpan<double> u, Span<double> point, Span<double> normal, out int part);

    /// <inheritdoc />
    public abstract BoundarySample MeshBoundarySample(int pointsPerPart);

    /// <summary>Distances below this count as "on the boundary" (a tiny fraction of the bounding box).</summary>
    public double Tolerance => RegionGeometry.Tolerance(this);

    /// <inheritdoc />
    public Tensor Contains(Tensor points) => RegionGeometry.Contains(this, points);

    /// <inheritdoc />
    public Tensor RandomInterior(int count, ScalarType dtype, Device device, Generator generator) =>
        RegionGeometry.Interior(this, new UniformSequence(Dimension, generator), count, dtype, device);

    /// <inheritdoc />
    public Tensor MeshInterior(IReadOnlyList<int> pointsPerAxis, ScalarType dtype, Device device)
    {
        var mesh = Bounds.Mesh(pointsPerAxis, dtype, device);
        return mesh.index(Contains(mesh));
    }

    /// <inheritdoc />
    public BoundaryPoints RandomBoundary(int count, ScalarType dtype, Device device, Generator generator) =>
        RegionGeometry.Boundary(this, new UniformSequence(BoundaryParameters, generator), count).ToBoundaryPoints(dtype, device);

    /// <inheritdoc />
    public BoundaryPoints MeshBoundary(int pointsPerAxis, ScalarType dtype, Device device) =>
        MeshBoundarySample(pointsPerAxis).ToBoundaryPoints(dtype, device);
}
