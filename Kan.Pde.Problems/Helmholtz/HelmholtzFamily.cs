using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;

namespace Kan.Pde.Problems.Helmholtz;

/// <summary>
/// <c>family: helmholtz</c>: Δu + k²u = source. Keys: <c>wave_number</c> (k, required), <c>exact</c> (optional;
/// errors, default source and boundary data), <c>source</c> (derived from exact when omitted), <c>boundary</c>:
/// Dirichlet, Neumann or Robin conditions as for Poisson.
/// </summary>
public sealed class HelmholtzFamily : IProblemFamily
{
    /// <inheritdoc />
    public string Name => "helmholtz";

    /// <inheritdoc />
    public string Summary => "Δu + k²u = q with Dirichlet, Neumann or Robin boundary conditions (1–3 space dimensions)";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Keys { get; } = new[] { "wave_number", "exact", "source", "boundary" };

    /// <inheritdoc />
    public IPdeProblem Build(IProblemSection section, IDomain domain)
    {
        var variables = domain.Variables;
        if (variables.Contains("t")) throw section.Error("domain", "helmholtz is stationary: the domain has no time coordinate t");
        double k = section.Number("wave_number", min: 0);
        var exact = section.OptionalExpression("exact", variables);
        var source = section.OptionalExpression("source", variables);
        if (source is null && exact is null)
            throw section.Error("source", "required field is missing; expected an expression for the right-hand side q (required when 'exact' is absent)");
        var conditions = ScalarBoundaryConditions.Read(section, "boundary", domain.BoundaryParts, variables, exact);
        return new HelmholtzProblem(domain, k, exact, source, conditions);
    }
}
