using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>One term of a physics-informed loss: weight · mean of squared residuals.</summary>
/// <param name="Name">Short name used in histories ("pde", "boundary", …).</param>
/// <param name="Weight">Multiplier in the total loss.</param>
/// <param name="MeanSquare">Unweighted mean square of the residuals (a scalar tensor in the graph).</param>
public sealed record LossTerm(string Name, double Weight, Tensor MeanSquare);
