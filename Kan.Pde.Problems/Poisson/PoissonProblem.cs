using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;

namespace Kan.Pde.Problems.Poisson;

/// <summary>
/// Poisson's equation Δu = f with Dirichlet, Neumann or Robin conditions part by part.
/// Loss terms: "pde" = mean(Δu − f)² over interior points, then one term per kind of boundary condition given:
/// "boundary" = mean(u − g)² (Dirichlet), "neumann" = mean(∂u/∂n − g)², "robin" = mean(a·u + b·∂u/∂n − g)².
/// </summary>
public sealed class PoissonProblem : IPdeProblem
{
    private readonly ScalarBoundaryConditions _conditions;

    /// <summary>
    /// Creates the problem with Dirichlet data. When <paramref name="source"/> is null it is derived from
    /// <paramref name="exact"/> as Σ_d ∂²u*/∂x_d²; boundary conditions without a value take the exact solution.
    /// A condition on "all" covers every boundary part of the domain.
    /// </summary>
    public PoissonProblem(IDomain domain, Expr? exact, Expr? source, IReadOnlyList<(string Part, Expr? Value)> boundary)
        : this(domain, exact, source, boundary.Select(b =>
            (b.Part == BoundaryConditionList.All ? domain.BoundaryParts : (IReadOnlyList<string>)new[] { b.Part }, b.Value)).ToArray())
    {
    }

    /// <summary>Creates the problem with Dirichlet conditions that each cover a list of boundary parts.</summary>
    public PoissonProblem(IDomain domain, Expr? exact, Expr? source, IReadOnlyList<(IReadOnlyList<string> Parts, Expr? Value)> boundary)
        : this(domain, exact, source, boundary.Select(b => BoundaryCondition.Dirichlet(b.Parts, b.Value)).ToArray())
    {
    }

    /// <summary>
    /// Creates the problem with any mix of Dirichlet, Neumann and Robin conditions. <paramref name="reference"/> (e.g. a
    /// finite-difference solution) stands in for the exact solution in error metrics when <paramref name="exact"/> is null.
    /// </summary>
    public PoissonProblem(IDomain domain, Expr? exact, Expr? source, IReadOnlyList<BoundaryCondition> boundary, IExactSolution? reference = null)
    {
        Domain = domain;
        if (source is null && exact is null) throw new ArgumentException("Poisson needs a source or an exact solution to derive it from");
        Source = source ?? LaplacianOf(exact!, domain.Dimension);
        Exact = exact is null ? reference : new ExpressionSolution(new[] { exact }, domain.Dimension);
        _conditions = new ScalarBoundaryConditions(domain, boundary, exact, "poisson");
        Boundary = new PiecewiseBoundaryData(boundary.Where(b => b.Kind == BoundaryKind.Dirichlet)
            .Select(b => (b.Parts, b.Value ?? exact!)).ToArray());
        LossTermNames = new[] { "pde" }.Concat(_conditions.TermNames).ToArray();
    }

    /// <summary>Σ_d ∂²u/∂x_d², symbolically.</summary>
    public static Expr LaplacianOf(Expr u, int dimension)
    {
        Expr? sum = null;
        for (int d = 0; d < dimension; d++)
        {
            var second = u.Derivative(d).Derivative(d);
            sum = sum is null ? second : sum + second;
        }
        return sum!;
    }

    /// <summary>The domain.</summary>
    public IDomain Domain { get; }

    /// <summary>f in Δu = f.</summary>
    public Expr Source { get; }

    /// <summary>The Dirichlet data, part by part.</summary>
    public PiecewiseBoundaryData Boundary { get; }

    /// <summary>All boundary conditions.</summary>
    public IReadOnlyList<BoundaryCondition> Conditions => _conditions.Conditions;

    /// <inheritdoc />
    public string Family => "poisson";

    /// <inheritdoc />
    public int InputDimension => Domain.Dimension;

    /// <inheritdoc />
    public int OutputDimension => 1;

    /// <inheritdoc />
    public IReadOnlyList<string> LossTermNames { get; }

    /// <inheritdoc />
    public IExactSolution? Exact { get; }

    /// <inheritdoc />
    public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
    {
        var f = points.Cached("poisson.source", () => Source.Evaluate(points.Interior));
        var fields = field.EvaluateTogether((points.Interior, FieldNeeds.SecondDiagonal), (points.Boundary, _conditions.Needs));
        var residual = fields[0].Laplacian.select(1, 0) - f;
        return new[] { LossTerm.OfResiduals("pde", residual, PointSet.Interior) }.Concat(_conditions.Losses(fields[1], points)).ToArray();
    }
}
