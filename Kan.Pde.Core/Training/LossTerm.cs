using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>One term of a physics-informed loss: the mean of squared residuals of one equation or condition.</summary>
/// <param name="Name">Short name used in weights and histories ("pde", "boundary", "momentum_x", …).</param>
/// <param name="MeanSquare">Unweighted mean square of the residuals (a scalar tensor in the graph).</param>
public sealed record LossTerm(string Name, Tensor MeanSquare)
{
    /// <summary>
    /// The residuals behind <see cref="MeanSquare"/>, one per point ([n] or [n, c]), when the problem reports them;
    /// they let the trainer weight points (residual-based attention) and place new ones (residual-adaptive sampling).
    /// </summary>
    public Tensor? Residuals { get; init; }

    /// <summary>Which points <see cref="Residuals"/> belong to.</summary>
    public PointSet At { get; init; }

    /// <summary>The term mean(r²) of the residuals <paramref name="residuals"/> at the points <paramref name="at"/>, keeping them.</summary>
    /// <remarks>A product r·r, not <c>square()</c>: the temporary Scalar that <c>square()</c> hands to libtorch is the
    /// hazard described at <see cref="SupervisedLosses.MeanSquare"/>; values and gradients are the same bit for bit.</remarks>
    public static LossTerm OfResiduals(string name, Tensor residuals, PointSet at) =>
        new(name, SupervisedLosses.MeanSquare(residuals)) { Residuals = residuals, At = at };

    /// <summary>The training loss Σ weight · mean square over <paramref name="terms"/> (a scalar in the graph).</summary>
    public static Tensor Total(IReadOnlyList<LossTerm> terms, LossWeights weights)
    {
        if (terms.Count == 0) throw new ArgumentException("a loss needs at least one term");
        Tensor total = Weighted(terms[0], weights);
        for (int t = 1; t < terms.Count; t++) total = total + Weighted(terms[t], weights);
        return total;
    }

    // A weight of 1 (the default) changes nothing, bit for bit: its product would only be one more operation.
    private static Tensor Weighted(LossTerm term, LossWeights weights)
    {
        double weight = weights[term.Name];
        return weight == 1 ? term.MeanSquare : term.MeanSquare * weight;
    }
}
