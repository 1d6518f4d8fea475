using Kan.Pde.Core.Geometry;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// The points where a problem's loss terms are evaluated: interior points for residuals and boundary
/// points labelled with the boundary part they lie on (and the outward normal there). Quantities that
/// depend only on the points (source values, boundary data) are computed once and kept in <see cref="Cached"/>.
/// </summary>
public sealed class CollocationSet
{
    private readonly Dictionary<string, Tensor> _cache = new();

    /// <summary>Wraps sampled points; <paramref name="partNames"/> names the labels of <paramref name="boundary"/>.</summary>
    public CollocationSet(Tensor interior, BoundaryPoints boundary, IReadOnlyList<string> partNames)
    {
        if (boundary.Points.shape[0] != boundary.Parts.Length) throw new ArgumentException("one part label per boundary point");
        if (boundary.Parts.Any(p => p < 0 || p >= partNames.Count)) throw new ArgumentException("boundary part label out of range");
        Interior = interior;
        Boundary = boundary.Points;
        BoundaryPartIndex = boundary.Parts;
        BoundaryNormals = boundary.Normals;
        PartNames = partNames.ToArray();
    }

    /// <summary>Samples a domain's interior and boundary into a collocation set.</summary>
    public CollocationSet(Tensor interior, BoundaryPoints boundary, IDomain domain) : this(interior, boundary, domain.BoundaryParts) { }

    /// <summary>Interior points [N, D].</summary>
    public Tensor Interior { get; }

    /// <summary>Boundary points [M, D].</summary>
    public Tensor Boundary { get; }

    /// <summary>Outward unit normals at the boundary points [M, D].</summary>
    public Tensor BoundaryNormals { get; }

    /// <summary>Index into <see cref="PartNames"/> of each boundary point.</summary>
    public IReadOnlyList<long> BoundaryPartIndex { get; }

    /// <summary>Names of the boundary parts (e.g. the faces of a box).</summary>
    public IReadOnlyList<string> PartNames { get; }

    /// <summary>Which boundary points lie on the named parts, as a bool array [M].</summary>
    public bool[] OnParts(IReadOnlyCollection<string> parts) =>
        BoundaryPartIndex.Select(p => parts.Contains(PartNames[(int)p])).ToArray();

    /// <summary>A tensor computed once from these points (e.g. the source term at the interior points).</summary>
    public Tensor Cached(string key, Func<Tensor> compute)
    {
        if (!_cache.TryGetValue(key, out var value))
        {
            using (no_grad()) value = compute().detach();
            value = value.DetachFromDisposeScope();
            _cache[key] = value;
        }
        return value;
    }
}
