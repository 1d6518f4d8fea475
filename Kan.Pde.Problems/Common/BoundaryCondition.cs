using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Problems.Common;

/// <summary>Which quantity a boundary condition prescribes.</summary>
public enum BoundaryKind
{
    /// <summary>u = g.</summary>
    Dirichlet,
    /// <summary>∂u/∂n = g (outward normal derivative).</summary>
    Neumann,
    /// <summary>a·u + b·∂u/∂n = g.</summary>
    Robin,
}

/// <summary>
/// One condition of a scalar field on some boundary parts: a·u + b·∂u/∂n = g, with (a, b) = (1, 0) for
/// Dirichlet and (0, 1) for Neumann. A null <see cref="Value"/> means "as the exact solution gives it".
/// </summary>
/// <param name="Parts">Boundary parts covered.</param>
/// <param name="Kind">Dirichlet, Neumann or Robin.</param>
/// <param name="Value">g, or null to take it from the exact solution.</param>
/// <param name="A">Robin coefficient of u (an expression of the coordinates).</param>
/// <param name="B">Robin coefficient of ∂u/∂n.</param>
public sealed record BoundaryCondition(IReadOnlyList<string> Parts, BoundaryKind Kind, Expr? Value, Expr? A = null, Expr? B = null)
{
    /// <summary>u = <paramref name="value"/> on <paramref name="parts"/>.</summary>
    public static BoundaryCondition Dirichlet(IReadOnlyList<string> parts, Expr? value) => new(parts, BoundaryKind.Dirichlet, value);

    /// <summary>∂u/∂n = <paramref name="value"/> on <paramref name="parts"/>.</summary>
    public static BoundaryCondition Neumann(IReadOnlyList<string> parts, Expr? value) => new(parts, BoundaryKind.Neumann, value);

    /// <summary>a·u + b·∂u/∂n = <paramref name="value"/> on <paramref name="parts"/>.</summary>
    public static BoundaryCondition Robin(IReadOnlyList<string> parts, Expr a, Expr b, Expr? value) => new(parts, BoundaryKind.Robin, value, a, b);
}
