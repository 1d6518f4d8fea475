using Kan.Pde.Core.Networks;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// A problem that reports results of a trained network beyond field errors, as named numbers (an eigenvalue
/// and its error, a localization measure, the accuracy of its own reference, …).
/// </summary>
public interface IProblemQuantities
{
    /// <summary>The quantities for a trained <paramref name="network"/>, measured on <paramref name="evaluationPoints"/>.</summary>
    IReadOnlyDictionary<string, double> Quantities(INetwork network, Tensor evaluationPoints);
}
