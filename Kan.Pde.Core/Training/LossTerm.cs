using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>One term of a physics-informed loss: weight · mean of squared residuals.</summary>
/// <param name="Name">Short name used in histories ("pde", "boundary", …).</param>
/// <param name="Weight">Multiplier in the total loss.</param>
/// <param name="MeanSquare">Unweighted mean square of the residuals (a scalar tensor in the graph).</param>
public sealed record LossTerm(string Name, double Weight, Tensor MeanSquare)
{
    /// <summary>The training loss Σ weight · mean square over <paramref name="terms"/> (a scalar in the graph).</summary>
    public static Tensor Total(IReadOnlyList<LossTerm> terms)
    {
        if (terms.Count == 0) throw new ArgumentException("a loss needs at least one term");
        Tensor total = terms[0].MeanSquare * terms[0].Weight;
        for (int t = 1; t < terms.Count; t++) total = total + terms[t].MeanSquare * terms[t].Weight;
        return total;
    }
}
