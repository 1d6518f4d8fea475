using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Runner.Spec;

/// <summary>
/// A Dirichlet condition u = <paramref name="Value"/> on <paramref name="On"/>, which is "all" or a face
/// such as "x-min" or "y-max" (the face where that coordinate is at its lower or upper bound).
/// </summary>
public sealed record BoundarySpec(string On, Expr Value);
