using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Adam's state for one parameter: the step count used for bias correction and the two moment estimates,
/// shaped like the parameter. Instances own their tensors.
/// </summary>
/// <param name="Step">Number of updates applied to this parameter.</param>
/// <param name="ExpAvg">First-moment estimate m.</param>
/// <param name="ExpAvgSq">Second-moment estimate v.</param>
public sealed record AdamMoments(long Step, Tensor ExpAvg, Tensor ExpAvgSq) : IDisposable
{
    /// <summary>Releases both moment tensors.</summary>
    public void Dispose()
    {
        ExpAvg.Dispose();
        ExpAvgSq.Dispose();
    }
}
