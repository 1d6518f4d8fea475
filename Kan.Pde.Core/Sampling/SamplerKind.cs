namespace Kan.Pde.Core.Sampling;

/// <summary>How collocation points are placed.</summary>
public enum SamplerKind
{
    /// <summary>A tensor-product mesh with end points (inside the domain only), the same every time.</summary>
    Mesh,
    /// <summary>Independent uniform random points from the seed's stream.</summary>
    Random,
    /// <summary>Latin hypercube designs (one point per stratum of every axis), fresh each draw.</summary>
    LatinHypercube,
    /// <summary>The Halton sequence, continuing from draw to draw.</summary>
    Halton,
    /// <summary>The Sobol sequence, continuing from draw to draw.</summary>
    Sobol,
}

/// <summary>How one point set (interior or boundary) is placed.</summary>
/// <param name="Kind">The sampler.</param>
/// <param name="Count">Number of points for the non-mesh samplers.</param>
/// <param name="MeshPoints">Mesh points per coordinate (interior: one per axis; boundary: the first entry, per part coordinate).</param>
public sealed record PointPlacement(SamplerKind Kind, int Count = 0, IReadOnlyList<int>? MeshPoints = null)
{
    /// <summary>True when repeated draws give new points.</summary>
    public bool Changes => Kind != SamplerKind.Mesh;
}
