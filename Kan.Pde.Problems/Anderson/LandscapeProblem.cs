using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// The localization landscape of Filoche and Mayboroda: (−Δ + V) u = 1 in a box, u = 0 on its boundary.
/// 1/u is an effective potential whose wells mark where low eigenstates of −Δ + V localize.
/// Loss terms: "pde" = mean(−Δu + V u − 1)², "boundary" = mean u². The reference is the finite-difference
/// solution (<see cref="LandscapeReference"/>), computed on first use.
/// </summary>
public sealed class LandscapeProblem : IPdeProblem, IProblemQuantities
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

    /// <summary>
    /// The size of the reference's Richardson step (max |u_{h/2} − u_h| / max |u|, a bound on its own error before
    /// extrapolation) and, in 1-D, the wells of the effective potential 1/u: how many, and the deepest one's position
    /// and depth from the network and from the reference.
    /// </summary>
    public IReadOnlyDictionary<string, double> Quantities(INetwork network, Tensor evaluationPoints)
    {
        var quantities = new Dictionary<string, double> { ["reference_richardson_step"] = Reference.Correction };
        if (Domain.Dimension != 1) return quantities;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = evaluationPoints.to(ScalarType.Float64, CPU).select(1, 0).data<double>().ToArray();
        var u = network.Forward(evaluationPoints).select(1, 0).to(ScalarType.Float64, CPU).data<double>().ToArray();
        var order = Enumerable.Range(0, x.Length).OrderBy(i => x[i]).ToArray();
        var learned = LandscapeWells.Find(order.Select(i => x[i]).ToArray(), order.Select(i => u[i]).ToArray());
        var reference = LandscapeWells.Find(Reference.Solution);
        quantities["wells"] = reference.Count;
        quantities["wells_network"] = learned.Count;
        if (reference.Count > 0)
        {
            quantities["deepest_well"] = reference[0].Position;
            quantities["deepest_well_depth"] = reference[0].Depth;
        }
        if (learned.Count > 0)
        {
            quantities["deepest_well_network"] = learned[0].Position;
            quantities["deepest_well_depth_network"] = learned[0].Depth;
        }
        return quantities;
    }
}
