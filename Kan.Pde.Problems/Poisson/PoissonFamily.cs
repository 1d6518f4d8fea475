using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;

namespace Kan.Pde.Problems.Poisson;

/// <summary>
/// <c>family: poisson</c>: Δu = source with Dirichlet data. Keys: <c>exact</c> (optional; errors, default
/// source and boundary values), <c>source</c> (derived from exact when omitted), <c>boundary</c>: a list of
/// <c>{on, value}</c> covering every boundary part once.
/// </summary>
public sealed class PoissonFamily : IProblemFamily
{
    /// <inheritdoc />
    public string Name => "poisson";

    /// <inheritdoc />
    public string Summary => "Δu = f with Dirichlet boundary values (1–3 space dimensions)";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Keys { get; } = new[] { "exact", "source", "boundary" };

    /// <inheritdoc />
    public IPdeProblem Build(IProblemSection section, IDomain domain)
    {
        var variables = domain.Variables;
        if (variables.Contains("t")) throw section.Error("domain", "poisson is stationary: the domain has no time coordinate t");
        var exact = section.OptionalExpression("exact", variables);
        var source = section.OptionalExpression("source", variables);
        if (source is null && exact is null)
            throw section.Error("source", "required field is missing; expected an expression for the right-hand side (required when 'exact' is absent)");
        var entries = BoundaryConditionList.Read(section, "boundary", new[] { "value" }, domain.BoundaryParts);
        var conditions = new List<(IReadOnlyList<string>, Kan.Pde.Core.Expressions.Expr?)>();
        foreach (var entry in entries)
        {
            var value = entry.Section.OptionalExpression("value", variables);
            if (value is null && exact is null)
                throw entry.Section.Error("value", $"required field is missing; expected an expression (it defaults to the exact solution only when '{section.Path}.exact' is given)");
            conditions.Add((entry.Parts, value));
        }
        return new PoissonProblem(domain, exact, source, conditions);
    }
}
