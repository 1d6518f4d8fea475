using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Runner.Spec;

/// <summary>
/// The PDE to solve: its family, the domain and the problem the family built from the spec's
/// <c>problem</c> section (validated: every expression parsed, every boundary part covered).
/// </summary>
/// <param name="Family">The PDE family, e.g. "poisson".</param>
/// <param name="Domain">One interval per coordinate, named x, y, z (and t last for time-dependent problems).</param>
/// <param name="Geometry">The domain as the problem and the samplers see it.</param>
/// <param name="Definition">The problem: residuals, boundary terms, exact solution.</param>
public sealed record ProblemSpec(
    string Family,
    IReadOnlyList<DomainAxis> Domain,
    IDomain Geometry,
    IPdeProblem Definition)
{
    /// <summary>Number of coordinates (1 to 4, time included).</summary>
    public int Dimension => Domain.Count;

    /// <summary>The variable names in column order, e.g. ["x", "y"].</summary>
    public IReadOnlyList<string> Variables => Domain.Select(a => a.Name).ToArray();
}
