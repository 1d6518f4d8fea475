using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;

namespace Kan.Pde.Problems.Poisson;

/// <summary>
/// Poisson's equation Δu = f with Dirichlet data u = g on the boundary.
/// Loss terms: "pde" = mean(Δu − f)² over interior points, "boundary" = mean(u − g)² over boundary points.
/// </summary>
public sealed class PoissonProblem : IPdeProblem
{
    private readonly PiecewiseBoundaryData _boundary;

    /// <summary>
    /// Creates the problem. When <paramref name="source"/> is null it is derived from
    /// <paramref name="exact"/> as Σ_d ∂²u*/∂x_d²; boundary conditions without a value take the exact solution.
    /// A condition on "all" covers every boundary part of the domain.
    /// </summary>
    public PoissonProblem(IDomain domain, Expr? exact, Expr? source, IReadOnlyList<(string Part, Expr? Value)> boundary)
        : this(domain, exact, source, boundary.Select(b =>
            (b.Part == BoundaryConditionList.All ? domain.BoundaryParts : (IReadOnlyList<string>)new[] { b.Part }, b.Value)).ToArray())
    {
    }

    /// <summary>Creates the problem with conditions that each cover a list of boundary parts.</summary>
    public PoissonProblem(IDomain domain, Expr? exact, Expr? source, IReadOnlyList<(IReadOnlyList<string> Parts, Expr? Value)> boundary)
    {
        Domain = domain;
        if (source is null && exact is null) throw new ArgumentException("Poisson needs a source or an exact solution to derive it from");
        Source = source ?? LaplacianOf(exact!, domain.Dimension);
        Exact = exact is null ? null : new ExpressionSolution(new[] { exact }, domain.Dimension);
        _boundary = new PiecewiseBoundaryData(boundary.Select(b => (b.Parts,
            b.Value ?? exact ?? throw new ArgumentException($"boundary '{string.Join(", ", b.Parts)}' needs a value (no exact solution given)"))).ToArray());
        var uncovered = domain.BoundaryParts.Except(_boundary.Parts).ToArray();
        if (uncovered.Length > 0) throw new ArgumentException($"no boundary condition on {string.Join(", ", uncovered)}");
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
    public PiecewiseBoundaryData Boundary => _boundary;

    /// <inheritdoc />
    public string Family => "poisson";

    /// <inheritdoc />
    public int InputDimension => Domain.Dimension;

    /// <inheritdoc />
    public int OutputDimension => 1;

    /// <inheritdoc />
    public IReadOnlyList<string> LossTermNames { get; } = new[] { "pde", "boundary" };

    /// <inheritdoc />
    public IExactSolution? Exact { get; }

    /// <inheritdoc />
    public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
    {
        var f = points.Cached("poisson.source", () => Source.Evaluate(points.Interior));
        var g = points.Cached("poisson.boundary", () => _boundary.Evaluate(points));
        var fields = field.EvaluateTogether((points.Interior, FieldNeeds.SecondDiagonal), (points.Boundary, FieldNeeds.Value));
        var residual = fields[0].Laplacian.select(1, 0) - f;
        var boundary = fields[1].Component(0) - g;
        return new[]
        {
            new LossTerm("pde", residual.square().mean()),
            new LossTerm("boundary", boundary.square().mean()),
        };
    }
}
