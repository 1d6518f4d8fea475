using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;

namespace Kan.Pde.Problems.Poisson;

/// <summary>
/// <c>family: poisson</c>: Δu = source. Keys: <c>exact</c> (optional; errors, default source and boundary data),
/// <c>source</c> (derived from exact when omitted), <c>boundary</c>: a list covering every boundary part once with
/// <c>{on, value}</c> (Dirichlet), <c>{on, normal_derivative}</c> (Neumann) or <c>{on, robin: {a, b}, value}</c> (Robin).
/// </summary>
public sealed class PoissonFamily : IProblemFamily
{
    /// <inheritdoc />
    public string Name => "poisson";

    /// <inheritdoc />
    public string Summary => "Δu = f with Dirichlet, Neumann or Robin boundary conditions (1–3 space dimensions)";

    /// <inheritdoc />
    public IReadOnlyCollection<string> Keys { get; } = new[] { "exact", "source", "boundary", "reference" };

    /// <inheritdoc />
    public IPdeProblem Build(IProblemSection section, IDomain domain)
    {
        var variables = domain.Variables;
        if (variables.Contains("t")) throw section.Error("domain", "poisson is stationary: the domain has no time coordinate t");
        var exact = section.OptionalExpression("exact", variables);
        var source = section.OptionalExpression("source", variables);
        if (source is null && exact is null)
            throw section.Error("source", "required field is missing; expected an expression for the right-hand side (required when 'exact' is absent)");
        var conditions = ScalarBoundaryConditions.Read(section, "boundary", domain.BoundaryParts, variables, exact);
        var reference = ReadReference(section, domain, source, conditions, exact);
        return new PoissonProblem(domain, exact, source, conditions, reference);
    }

    /// <summary>
    /// <c>reference: {method: finite_difference, spacing: h}</c>: a finite-difference solution on a grid of spacing h,
    /// used for error metrics when there is no exact solution (2-D, Dirichlet data, boundary on grid lines).
    /// </summary>
    private static IExactSolution? ReadReference(IProblemSection section, IDomain domain, Kan.Pde.Core.Expressions.Expr? source,
        IReadOnlyList<BoundaryCondition> conditions, Kan.Pde.Core.Expressions.Expr? exact)
    {
        var r = section.Section("reference", new[] { "method", "spacing" });
        if (r is null) return null;
        r.Choice("method", "finite_difference", "finite_difference");
        double h = r.Number("spacing", min: 1e-6);
        if (exact is not null) throw section.Error("reference", "not allowed together with 'exact' (the exact solution is the reference)");
        if (domain is not IRegion region || domain.Dimension != 2) throw section.Error("reference", "the finite-difference reference is for 2-D domains");
        if (conditions.Any(c => c.Kind != BoundaryKind.Dirichlet))
            throw section.Error("reference", "the finite-difference reference supports Dirichlet conditions only");
        var data = new PiecewiseBoundaryData(conditions.Select(c => (c.Parts, c.Value!)).ToArray());
        Func<double, double, double> boundary;
        if (conditions.Count == 1) boundary = (x, y) => conditions[0].Value!.Evaluate(x, y);
        else
        {
            var nearest = new NearestPart(region);
            boundary = (x, y) => data.ValueOn(nearest.At(x, y)).Evaluate(x, y);
        }
        try
        {
            // Set up (and checked) now, solved when the errors are first measured: listing specs stays quick.
            var system = FiniteDifferenceReference.Discretize(region, source!, boundary, h);
            return new DeferredSolution(() => system.Solve());
        }
        catch (ArgumentException e)
        {
            throw r.Error("spacing", e.Message);
        }
    }

    /// <summary>The boundary part whose parameterized points come closest to a boundary node (for piecewise data).</summary>
    private sealed class NearestPart
    {
        private readonly BoundarySample _sample;
        private readonly IReadOnlyList<string> _partNames;

        public NearestPart(IRegion region)
        {
            _sample = region.MeshBoundarySample(201);
            _partNames = region.BoundaryParts;
        }

        public string At(double x, double y)
        {
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int i = 0; i < _sample.Count; i++)
            {
                double dx = _sample.Points[2 * i] - x, dy = _sample.Points[2 * i + 1] - y, d = dx * dx + dy * dy;
                if (d < bestDistance) { bestDistance = d; best = i; }
            }
            return _partNames[_sample.Parts[best]];
        }
    }
}
