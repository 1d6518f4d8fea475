using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Common;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Poisson;

/// <summary>
/// Poisson's equation Δu = f on a box with Dirichlet data u = g on its faces.
/// Loss = w_pde · mean(Δu − f)² over interior points + w_bc · mean(u − g)² over boundary points.
/// </summary>
public sealed class PoissonProblem : IPdeProblem
{
    private readonly IReadOnlyList<DirichletCondition> _boundary;

    /// <summary>
    /// Creates the problem. When <paramref name="source"/> is null it is derived from
    /// <paramref name="exact"/> as Σ_d ∂²u*/∂x_d²; boundary conditions without a value take the exact solution.
    /// </summary>
    public PoissonProblem(Box domain, Expr? exact, Expr? source, IReadOnlyList<(string Face, Expr? Value)> boundary,
        double pdeWeight = 1, double boundaryWeight = 1)
    {
        Domain = domain;
        if (source is null && exact is null) throw new ArgumentException("Poisson needs a source or an exact solution to derive it from");
        Source = source ?? LaplacianOf(exact!, domain.Dimension);
        Exact = exact is null ? null : new ExpressionSolution(new[] { exact }, domain.Dimension);
        _boundary = boundary.Select(b => new DirichletCondition(b.Face,
            b.Value ?? exact ?? throw new ArgumentException($"boundary '{b.Face}' needs a value (no exact solution given)"))).ToArray();
        PdeWeight = pdeWeight;
        BoundaryWeight = boundaryWeight;
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

    /// <summary>The box.</summary>
    public Box Domain { get; }

    /// <summary>f in Δu = f.</summary>
    public Expr Source { get; }

    /// <summary>Weight of the residual term.</summary>
    public double PdeWeight { get; }

    /// <summary>Weight of the boundary term.</summary>
    public double BoundaryWeight { get; }

    /// <inheritdoc />
    public string Family => "poisson";

    /// <inheritdoc />
    public int InputDimension => Domain.Dimension;

    /// <inheritdoc />
    public int OutputDimension => 1;

    /// <inheritdoc />
    public IExactSolution? Exact { get; }

    /// <inheritdoc />
    public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
    {
        var f = points.Cached("poisson.source", () => Source.Evaluate(points.Interior));
        var g = points.Cached("poisson.boundary", () => BoundaryValues(points));
        var fields = field.EvaluateTogether((points.Interior, FieldNeeds.SecondDiagonal), (points.Boundary, FieldNeeds.Value));
        var residual = fields[0].Laplacian.select(1, 0) - f;
        var boundary = fields[1].Component(0) - g;
        return new[]
        {
            new LossTerm("pde", PdeWeight, residual.square().mean()),
            new LossTerm("boundary", BoundaryWeight, boundary.square().mean()),
        };
    }

    /// <summary>g at every boundary point, each from the condition covering its face.</summary>
    private Tensor BoundaryValues(CollocationSet points)
    {
        var faceNames = Domain.FaceNames;
        var values = zeros(points.Boundary.shape[0], dtype: points.Boundary.dtype, device: points.Boundary.device);
        var covered = new bool[points.BoundaryFaces.Count];
        foreach (var condition in _boundary)
        {
            var mask = points.BoundaryFaces.Select(f => condition.Face == DirichletCondition.AllFaces || faceNames[(int)f] == condition.Face).ToArray();
            if (!mask.Any(m => m)) continue;
            for (int n = 0; n < mask.Length; n++) covered[n] |= mask[n];
            var maskTensor = tensor(mask, device: points.Boundary.device);
            values = where(maskTensor, condition.Value.Evaluate(points.Boundary), values);
        }
        if (covered.Any(c => !c)) throw new ArgumentException("some boundary points lie on a face without a condition");
        return values;
    }
}
