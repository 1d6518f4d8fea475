using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// A network whose spline grids can be adapted to the data and refined during training (KANs, and
/// wrappers around them). The trainer drives both operations from the schedule.
/// </summary>
public interface IAdaptiveGrid
{
    /// <summary>Current grid size G.</summary>
    int GridSize { get; }

    /// <summary>Moves the knots to where the samples x [N, D] put the layer inputs and refits the splines.</summary>
    void UpdateGridFromSamples(Tensor x);

    /// <summary>Refines every grid to <paramref name="newGridSize"/> intervals, refitting at the samples x [N, D].</summary>
    void ExtendGrid(int newGridSize, Tensor x);
}
