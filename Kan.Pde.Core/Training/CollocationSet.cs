using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// The points where a problem's loss terms are evaluated: interior points for residuals and boundary
/// points labelled with the face they lie on. Quantities that depend only on the points (source values,
/// boundary data) are computed once and kept in <see cref="Cached"/>.
/// </summary>
public sealed class CollocationSet
{
    private readonly Dictionary<string, Tensor> _cache = new();

    /// <summary>Wraps sampled points.</summary>
    public CollocationSet(Tensor interior, Tensor boundary, long[] boundaryFaces)
    {
        if (boundary.shape[0] != boundaryFaces.Length) throw new ArgumentException("one face label per boundary point");
        Interior = interior;
        Boundary = boundary;
        BoundaryFaces = boundaryFaces;
    }

    /// <summary>Interior points [N, D].</summary>
    public Tensor Interior { get; }

    /// <summary>Boundary points [M, D].</summary>
    public Tensor Boundary { get; }

    /// <summary>Face index of each boundary point.</summary>
    public IReadOnlyList<long> BoundaryFaces { get; }

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
