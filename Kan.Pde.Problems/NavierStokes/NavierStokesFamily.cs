using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;

namespace Kan.Pde.Problems.NavierStokes;

/// <summary>
/// <c>family: navier-stokes</c>: 2-D incompressible flow in velocity–pressure form, steady on (x, y) or unsteady on
/// (x, y, t). Keys: <c>viscosity</c> ν or <c>reynolds</c> Re (ν = 1/Re), exactly one; <c>exact</c>: a mapping
/// <c>{u, v, p}</c> of expressions (optional; errors, and the default for every condition); <c>boundary</c>: a list of
/// <c>{on, u, v, p}</c> covering every space face once and, when unsteady, the initial face t-min (the initial state;
/// no pressure there); <c>p</c> is optional and adds a pressure condition on those faces; <c>pressure_gauge</c>:
/// <c>{kind: point, at: [x, y], value}</c> or <c>{kind: mean, value}</c> (optional); <c>pressure_poisson</c>: true adds
/// the pressure Poisson equation as a loss term (default false); <c>boundary_residuals</c>: true takes the residual
/// terms at the boundary points as well (default false).
/// </summary>
public sealed class NavierStokesFamily : IProblemFamily
{
    private static readonly string[] Fields = { "u", "v", "p" };
    private static readonly string[] GaugeKeys = { "kind", "at", "value" };

    /// <inheritdoc />
    public string Name => "navier-stokes";

    /// <inheritdoc />
    public string Summary => "2-D incompressible Navier–Stokes (u, v, p), steady or unsteady, velocity–pressure form";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Keys { get; } = new[] { "viscosity", "reynolds", "exact", "boundary", "pressure_gauge", "pressure_poisson", "boundary_residuals" };

    /// <inheritdoc />
    public IPdeProblem Build(IProblemSection section, IDomain domain)
    {
        var variables = domain.Variables;
        bool unsteady = variables.SequenceEqual(new[] { "x", "y", "t" });
        if (!unsteady && !variables.SequenceEqual(new[] { "x", "y" }))
            throw section.Error("domain", $"navier-stokes is two-dimensional: the domain must be {{x, y}} or {{x, y, t}}, got {{{string.Join(", ", variables)}}}");

        double viscosity = ReadViscosity(section);
        FlowExpressions? exact = null;
        if (section.Section("exact", Fields) is { } e)
            exact = new FlowExpressions(e.Expression("u", variables), e.Expression("v", variables), e.Expression("p", variables));

        var spaceFaces = domain.BoundaryParts.Where(p => !p.StartsWith("t-", StringComparison.Ordinal)).ToArray();
        var required = unsteady ? spaceFaces.Append(NavierStokesProblem.InitialPart).ToArray() : spaceFaces;
        var entries = BoundaryConditionList.Read(section, "boundary", Fields, required);
        var conditions = new List<VelocityCondition>();
        foreach (var entry in entries)
        {
            Expr Velocity(string key, Expr? fallback) => entry.Section.OptionalExpression(key, variables) ?? fallback
                ?? throw entry.Section.Error(key, $"required field is missing; expected an expression (it defaults to the exact solution only when '{section.Path}.exact' is given)");
            var u = Velocity("u", exact?.U);
            var v = Velocity("v", exact?.V);
            var p = entry.Section.OptionalExpression("p", variables);
            if (p is not null && entry.Parts.All(part => part == NavierStokesProblem.InitialPart))
                throw entry.Section.Error("p", "the initial state is a velocity field; pressure is not an initial condition");
            conditions.Add(new VelocityCondition(entry.Parts, u, v, p));
        }
        var gauge = ReadGauge(section, domain, unsteady);
        bool pressurePoisson = section.Flag("pressure_poisson", false);
        bool boundaryResiduals = section.Flag("boundary_residuals", false);
        return new NavierStokesProblem(domain, viscosity, conditions, exact, gauge, pressurePoisson, boundaryResiduals);
    }

    private static double ReadViscosity(IProblemSection section)
    {
        bool hasNu = section.Has("viscosity"), hasRe = section.Has("reynolds");
        if (hasNu && hasRe) throw section.Error("reynolds", "give either 'viscosity' or 'reynolds' (ν = 1/Re), not both");
        if (!hasNu && !hasRe) throw section.Error("viscosity", "required field is missing; expected the kinematic viscosity (a number > 0) or 'reynolds'");
        double value = hasNu ? section.Number("viscosity", min: 0) : section.Number("reynolds", min: 0);
        if (!(value > 0)) throw section.Error(hasNu ? "viscosity" : "reynolds", $"expected a number > 0, got {value}");
        return hasNu ? value : 1 / value;
    }

    private static PressureGauge? ReadGauge(IProblemSection section, IDomain domain, bool unsteady)
    {
        if (section.Section("pressure_gauge", GaugeKeys) is not { } g) return null;
        string kind = g.Choice("kind", null, "point", "mean");
        var value = g.OptionalExpression("value", domain.Variables);
        if (kind == "mean")
        {
            if (g.Has("at")) throw g.Error("at", "only for kind: point (a mean gauge has no point)");
            if (unsteady) throw g.Error("kind", "a mean gauge fixes one constant, but an unsteady pressure is free up to a function of time; use kind: point");
            return PressureGauge.Mean(value);
        }
        var at = g.Numbers("at", 2);
        var axes = domain.Bounds.Axes;
        for (int d = 0; d < 2; d++)
            if (at[d] < axes[d].Lo || at[d] > axes[d].Hi)
                throw g.Error("at", $"the point ({at[0]}, {at[1]}) lies outside the domain ({axes[d].Name} in [{axes[d].Lo}, {axes[d].Hi}])");
        return PressureGauge.AtPoint(at[0], at[1], value);
    }
}
