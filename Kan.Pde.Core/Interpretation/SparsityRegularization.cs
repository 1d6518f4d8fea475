using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Interpretation;

/// <summary>
/// The KAN paper's sparsity regularization (§2.5.1): per layer, the L1 norm |Φ|₁ = Σ_ij |φ_ij|₁ with
/// |φ_ij|₁ = mean over samples of |φ_ij(x)|, and the entropy S(Φ) = −Σ_ij p_ij log p_ij of p_ij = |φ_ij|₁ / |Φ|₁;
/// the term is Σ_layers (μ₁·|Φ|₁ + μ₂·S(Φ)), added to the loss with weight λ. It pushes a KAN towards few, large
/// edges, which prune and snap to formulas more easily.
/// </summary>
/// <param name="Weight">λ, the weight of the term in the total loss.</param>
/// <param name="L1">μ₁, weight of the L1 part.</param>
/// <param name="Entropy">μ₂, weight of the entropy part.</param>
public sealed record SparsityRegularization(double Weight, double L1 = 1, double Entropy = 1)
{
    /// <summary>Name of the loss term (a column of history.csv).</summary>
    public const string TermName = "regularization";

    /// <summary>Σ_layers (μ₁·|Φ|₁ + μ₂·S(Φ)) at network inputs <paramref name="x"/> [N, D], a scalar in the autograd graph.</summary>
    public Tensor Value(KanNetwork network, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(network);
        Tensor? total = null;
        var h = x;
        foreach (var layer in network.Layers)
        {
            var phi = layer.EdgeValues(h);                                  // [in, N, out]
            var norms = phi.abs().mean(new long[] { 1 });                   // |φ_ij|₁ [in, out]
            var l1 = norms.sum();
            // p log p → 0 as p → 0; the tiny shift keeps log finite for masked edges (p = 0 exactly).
            var p = norms / (l1 + 1e-300);
            var entropy = -(p * (p + 1e-300).log()).sum();
            var part = L1 * l1 + Entropy * entropy;
            total = total is null ? part : total + part;
            h = phi.sum(dim: 0);
        }
        return total!;
    }

    /// <summary>
    /// The (unweighted) loss term at the interior collocation points, for <see cref="Trainer.Regularization"/>; the trainer's
    /// <see cref="LossWeights"/> should give <see cref="TermName"/> the weight <see cref="Weight"/>.
    /// </summary>
    public LossTerm Term(INetwork network, CollocationSet points)
    {
        var view = InterpretableKan.Of(network) ?? throw new ArgumentException("sparsity regularization applies to KANs only", nameof(network));
        return new LossTerm(TermName, Value(view.Kan, view.KanInputs(points.Interior)));
    }
}
