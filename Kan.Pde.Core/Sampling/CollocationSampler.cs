using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Sampling;

/// <summary>
/// Draws collocation sets for a domain: interior and boundary points, each from its own sampler. Every draw
/// continues the samplers' streams, so a second draw gives new points (except for meshes), and the same seed
/// gives the same sequence of draws. Random points come from one generator seeded with seed + 7919, interior
/// before boundary, as in runs before the other samplers existed.
/// </summary>
public sealed class CollocationSampler
{
    private readonly IDomain _domain;
    private readonly Generator _generator;
    private readonly IUnitSequence? _interiorSequence, _boundarySequence;

    /// <summary>A sampler for <paramref name="domain"/>; non-box, non-mesh sampling needs an <see cref="IRegion"/>.</summary>
    public CollocationSampler(IDomain domain, PointPlacement interior, PointPlacement boundary, int seed)
    {
        _domain = domain;
        Interior = interior;
        Boundary = boundary;
        _generator = new Generator((ulong)seed + 7919);
        _interiorSequence = Sequence(interior.Kind, domain.Dimension, seed);
        int boundaryParameters = domain is IRegion r ? r.BoundaryParameters : Math.Max(1, domain.Dimension - 1);
        _boundarySequence = Sequence(boundary.Kind, boundaryParameters, seed + 1);
        if ((_interiorSequence is not null || _boundarySequence is not null) && domain is not IRegion)
            throw new ArgumentException("sequence sampling needs a domain with a signed distance (IRegion)");
    }

    /// <summary>Interior placement.</summary>
    public PointPlacement Interior { get; }

    /// <summary>Boundary placement.</summary>
    public PointPlacement Boundary { get; }

    /// <summary>True when draws after the first give new points.</summary>
    public bool Changes => Interior.Changes || Boundary.Changes;

    /// <summary>The next collocation set.</summary>
    public CollocationSet Next(ScalarType dtype, Device device)
    {
        var interior = NextInterior(Interior.Kind == SamplerKind.Mesh ? 0 : Interior.Count, dtype, device);
        var boundary = Boundary.Kind switch
        {
            SamplerKind.Mesh => _domain.MeshBoundary(Boundary.MeshPoints![0], dtype, device),
            SamplerKind.Random => _domain.RandomBoundary(Boundary.Count, dtype, device, _generator),
            _ => RegionGeometry.Boundary((IRegion)_domain, _boundarySequence!, Boundary.Count).ToBoundaryPoints(dtype, device),
        };
        return new CollocationSet(interior, boundary, _domain);
    }

    /// <summary>
    /// The next <paramref name="count"/> interior points of the interior sampler's stream (a mesh sampler gives
    /// its mesh whatever the count); used for new points and for candidate pools of adaptive resampling.
    /// </summary>
    public Tensor NextInterior(int count, ScalarType dtype, Device device) => Interior.Kind switch
    {
        SamplerKind.Mesh => _domain.MeshInterior(Interior.MeshPoints!, dtype, device),
        SamplerKind.Random => _domain.RandomInterior(count, dtype, device, _generator),
        _ => RegionGeometry.Interior((IRegion)_domain, _interiorSequence!, count, dtype, device),
    };

    private static IUnitSequence? Sequence(SamplerKind kind, int dimension, int seed) => kind switch
    {
        SamplerKind.Sobol => new SobolSequence(dimension),
        SamplerKind.Halton => new HaltonSequence(dimension),
        SamplerKind.LatinHypercube => new LatinHypercube(dimension, seed),
        _ => null,
    };
}
