using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Training;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// The localization landscape of Filoche and Mayboroda: (−Δ + V) u = 1 in a box, u = 0 on its boundary.
/// 1/u is an effective potential whose wells mark where low eigenstates of −Δ + V localize.
/// Loss terms: "pde" = mean(−Δu + V u − 1)², "boundary" = mean u². The reference is the finite-difference
/// solution (<see cref="LandscapeReference"/>), computed on first use.
/// </summary>
public sealed class LandscapeProblem : IPdeProblem
{
    private readonly Lazy<LandscapeReference.Result> _reference;

    /// <summary>Creates the problem; <paramref name="referenceNodes"/> is the coarse finite-difference grid per axis.</summary>
    public LandscapeProblem(Box domain, IPotential potential, IReadOnlyList<int> referenceNodes)
    {
        if (potential.Dimension != domain.Dimension) throw new ArgumentException("potential and domain dimensions differ");
        if (referenceNodes.Count != domain.Dimension) throw new ArgumentException("one reference grid size per axis");
        Domain = domain;
        Potential = potential;
        ReferenceNodes = referenceNodes.ToArray();
        _reference = new Lazy<LandscapeReference.Result>(() => LandscapeReference.Solve(potential,
            domain.Axes.Select(a => a.Lo).ToArray(), domain.Axes.Select(a => a.Hi).ToArray(), ReferenceNodes));
    }

    /// <summary>The box.</summary>
    public Box Domain { get; }

    /// <summary>V.</summary>
    public IPotential Potential { get; }

    /// <summary>Coarse finite-difference nodes per axis (the fine grid has 2n − 1).</summary>
    public IReadOnlyList<int> ReferenceNodes { get; }

    /// <summary>The finite-difference reference (solved on first access).</summary>
    public LandscapeReference.Result Reference => _reference.Value;

    /// <inheritdoc />
    public string Family => "landscape";

    /// <inheritdoc />
    public int InputDimension => Domain.Dimension;

    /// <inheritdoc />
    public int OutputDimension => 1;

    /// <inheritdoc />
    public IReadOnlyList<string> LossTermNames { get; } = new[] { "pde", "boundary" };

    /// <inheritdoc />
    public IExactSolution? Exact => Reference.Solution;

    /// <inheritdoc />
    public IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points)
    {
        var v = points.Cached("landscape.potential", () => Potential.Evaluate(points.Interior));
        var fields = field.EvaluateTogether((points.Interior, FieldNeeds.SecondDiagonal), (points.Boundary, FieldNeeds.Value));
        var u = fields[0].Component(0);
        var residual = -fields[0].Laplacian.select(1, 0) + v * u - 1;
        return new[]
        {
            new LossTerm("pde", residual.square().mean()),
            new LossTerm("boundary", fields[1].Component(0).square().mean()),
        };
    }
}
