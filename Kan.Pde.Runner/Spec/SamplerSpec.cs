namespace Kan.Pde.Runner.Spec;

/// <summary>How collocation points are placed.</summary>
public enum SamplerKind { Mesh, Random }

/// <summary>
/// A point set. <see cref="SamplerKind.Mesh"/>: a tensor-product grid including the end points, with
/// <paramref name="Points"/>[d] points along coordinate d (for the boundary: on each face, along that
/// face's coordinates). <see cref="SamplerKind.Random"/>: <paramref name="Count"/> uniform points in total.
/// </summary>
public sealed record SamplerSpec(SamplerKind Kind, IReadOnlyList<int>? Points, int? Count);

/// <summary>Where the PDE residual (interior) and the boundary conditions are enforced.</summary>
public sealed record CollocationSpec(SamplerSpec Interior, SamplerSpec Boundary);
