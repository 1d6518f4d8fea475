using Kan.Pde.Core.Adaptive;

namespace Kan.Pde.Runner.Spec;

/// <summary>How collocation points are placed.</summary>
public enum SamplerKind { Mesh, Random, LatinHypercube, Halton, Sobol }

/// <summary>
/// A point set. <see cref="SamplerKind.Mesh"/>: a tensor-product grid including the end points, with
/// <paramref name="Points"/>[d] points along coordinate d (for the boundary: on each part, along that
/// part's coordinates). The other samplers: <paramref name="Count"/> points in total.
/// </summary>
public sealed record SamplerSpec(SamplerKind Kind, IReadOnlyList<int>? Points, int? Count);

/// <summary>Where the PDE residual (interior) and the boundary conditions are enforced, and how that changes during training.</summary>
public sealed record CollocationSpec(SamplerSpec Interior, SamplerSpec Boundary)
{
    /// <summary>Fresh points from the samplers every this many steps; null for fixed points.</summary>
    public int? ResampleEvery { get; init; }

    /// <summary>Residual-adaptive redistribution of the interior points (RAD), or null.</summary>
    public ResidualAdaptiveSampling? Adaptive { get; init; }

    /// <summary>Residual-based point weights (RBA), or null.</summary>
    public ResidualPointWeights? PointWeights { get; init; }
}
