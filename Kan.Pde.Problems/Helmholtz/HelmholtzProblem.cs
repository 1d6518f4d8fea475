using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;
using Kan.Pde.Problems.Poisson;

namespace Kan.Pde.Problems.Helmholtz;

/// <summary>
/// The Helmholtz equation Δu + k²u = q with Dirichlet, Neumann or Robin conditions part by part.
/// Loss terms: "pde" = mean(Δu + k²u − q)² over interior points, then one term per kind of boundary condition
/// given ("boundary", "neumann", "robin"), as for Poisson.
/// </summary>
public sealed class HelmholtzProblem : IPdeProblem
{
    private readonly ScalarBoundaryConditions _conditions;

    /// <summary>
    /// Creates the problem. When <paramref name="source"/> is null it is derived from <paramref name="exact"/> as
    /// Δu* + k²u*; conditions without a value take theirs from the exact solution.
    /// </summary>
    public HelmholtzProblem(IDomain domain, double waveNumber, Expr? exact, Expr? source, IReadOnlyList<BoundaryCondition> boundary)
    {
        if (!double.IsFinite(waveNumber)) throw new ArgumentException("the wave number must be finite");
        if (source is null && exact is null) throw new ArgumentException("Helmholtz needs a source or an exact solution to derive it from");
        Domain = domain;
        WaveNumber = waveNumber;
        Source = source ?? PoissonProblem.LaplacianOf(exact!, domain.Dimension) + Expr.Constant(waveNumber * waveNumber, exact!.Variables) * exact;
        Exact = exact is null ? null : new ExpressionSolution(new[] { exact }, domain.Dimension);
        _conditions = new ScalarBoundaryConditions(domain, boundary, exact, "helmholtz");
        LossTermNames = new[] { "pde" }.Concat(_conditions.TermNames).ToArray();
    }

    /// <summary>The domain.</summary>
    public IDomain Domain { get; }

    /// <summary>k in Δu + k²u = q.</summary>
    public double WaveNumber { get; }

    /// <summary>q in Δu + k²u = q.</summary>
    public Expr Source { get; }

    /// <summary>The boundary conditions.</summary>
    public IReadOnlyList<BoundaryCondition> Conditions => _conditions.Conditions;

    /// <inheritdoc />
    public string Family => "helmholtz";

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
        var q = points.Cached("helmholtz.source", () => Source.Evaluate(points.Interior));
        var fields = field.EvaluateTogether((points.Interior, FieldNeeds.SecondDiagonal), (points.Boundary, _conditions.Needs));
        var u = fields[0].Component(0);
        var residual = fields[0].Laplacian.select(1, 0) + WaveNumber * WaveNumber * u - q;
        return new[] { LossTerm.OfResiduals("pde", residual, PointSet.Interior) }.Concat(_conditions.Losses(fields[1], points)).ToArray();
    }
}
