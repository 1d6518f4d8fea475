using Kan.Pde.Core.Networks;

namespace Kan.Pde.Core.Training;

/// <summary>
/// A problem solved as a sequence of trainings, one network each, where member k may use the networks
/// already trained for members 0..k−1 (e.g. the k-th eigenstate is kept orthogonal to the lower ones).
/// The problem object that implements this is member 0.
/// </summary>
public interface IProblemSequence
{
    /// <summary>Number of members.</summary>
    int Count { get; }

    /// <summary>Member <paramref name="index"/>, given the trained networks of the members before it.</summary>
    IPdeProblem Member(int index, IReadOnlyList<INetwork> earlier);
}
