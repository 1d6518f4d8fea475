using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Geometry;

/// <summary>
/// A region of R^D on which a PDE is posed: where interior and boundary points can be sampled, which
/// named parts its boundary has (boundary conditions refer to them), and the outward unit normal at
/// boundary points (for Neumann and Robin conditions). Time, when a problem has it, is just another
/// coordinate (named "t"), so a space–time cylinder is a domain like any other.
/// </summary>
public interface IDomain
{
    /// <summary>D, the number of coordinates.</summary>
    int Dimension { get; }

    /// <summary>Coordinate names in column order, e.g. ["x", "y"] or ["x", "y", "t"].</summary>
    IReadOnlyList<string> Variables { get; }

    /// <summary>The smallest axis-aligned box containing the domain (evaluation meshes, input scaling).</summary>
    Box Bounds { get; }

    /// <summary>Names of the boundary parts, e.g. "x-min", …; boundary points are labelled by index into this list.</summary>
    IReadOnlyList<string> BoundaryParts { get; }

    /// <summary>True for points [N, D] inside the domain or on its boundary, as a bool tensor [N].</summary>
    Tensor Contains(Tensor points);

    /// <summary>Uniform random interior points [count, D].</summary>
    Tensor RandomInterior(int count, ScalarType dtype, Device device, Generator generator);

    /// <summary>The points of a tensor-product mesh of <see cref="Bounds"/> (edges included) that lie in the domain.</summary>
    Tensor MeshInterior(IReadOnlyList<int> pointsPerAxis, ScalarType dtype, Device device);

    /// <summary>Random boundary points, spread over the parts in proportion to their size.</summary>
    BoundaryPoints RandomBoundary(int count, ScalarType dtype, Device device, Generator generator);

    /// <summary>Evenly spaced boundary points, <paramref name="pointsPerAxis"/> per coordinate along every part.</summary>
    BoundaryPoints MeshBoundary(int pointsPerAxis, ScalarType dtype, Device device);
}

/// <summary>Points on a domain's boundary with the part each lies on and the outward unit normal there.</summary>
/// <param name="Points">[M, D].</param>
/// <param name="Parts">Index into <see cref="IDomain.BoundaryParts"/> per point.</param>
/// <param name="Normals">Outward unit normals [M, D].</param>
public sealed record BoundaryPoints(Tensor Points, long[] Parts, Tensor Normals);
