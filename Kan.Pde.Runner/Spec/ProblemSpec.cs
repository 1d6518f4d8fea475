using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Runner.Spec;

/// <summary>
/// The PDE to solve. For <c>poisson</c>: u_xx + u_yy (+ u_zz) = <see cref="Source"/> on the box
/// <see cref="Domain"/>, with Dirichlet conditions <see cref="Boundary"/>. All expressions are over the
/// domain's variables in domain order.
/// </summary>
/// <param name="Family">The PDE family; currently always "poisson".</param>
/// <param name="Domain">One interval per coordinate, named x, y, z in this order.</param>
/// <param name="Exact">The exact solution when known (used for errors and as default boundary value).</param>
/// <param name="Source">Right-hand side, or null when the spec omits it (the problem then derives it from <see cref="Exact"/>).</param>
/// <param name="Boundary">Conditions covering every face exactly once.</param>
public sealed record ProblemSpec(
    string Family,
    IReadOnlyList<DomainAxis> Domain,
    Expr? Exact,
    Expr? Source,
    IReadOnlyList<BoundarySpec> Boundary)
{
    /// <summary>Number of space dimensions (1 to 3).</summary>
    public int Dimension => Domain.Count;

    /// <summary>The variable names in column order, e.g. ["x", "y"].</summary>
    public IReadOnlyList<string> Variables => Domain.Select(a => a.Name).ToArray();

    /// <summary>The faces of the box, in the order x-min, x-max, y-min, y-max, z-min, z-max.</summary>
    public IReadOnlyList<string> Faces => FacesOf(Domain.Select(a => a.Name));

    /// <summary>The boundary value prescribed on <paramref name="face"/> (e.g. "x-min"), whether named or covered by "all".</summary>
    public Expr BoundaryValue(string face)
    {
        foreach (var b in Boundary)
            if (b.On == face || b.On == AllFaces) return b.Value;
        throw new ArgumentException($"no boundary condition covers face '{face}'", nameof(face));
    }

    /// <summary>The value of <see cref="BoundarySpec.On"/> that covers every face.</summary>
    public const string AllFaces = "all";

    internal static IReadOnlyList<string> FacesOf(IEnumerable<string> axes) =>
        axes.SelectMany(a => new[] { a + "-min", a + "-max" }).ToArray();
}
