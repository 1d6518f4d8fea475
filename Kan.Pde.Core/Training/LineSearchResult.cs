using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>Outcome of one line search along a direction d from a point x₀.</summary>
/// <param name="Step">Accepted step length α (the point is x₀ + α·d); 0 when no point improved on x₀.</param>
/// <param name="Value">Objective at the accepted point.</param>
/// <param name="Gradient">Flat gradient at the accepted point, a tensor the caller owns.</param>
/// <param name="Evaluations">Objective evaluations the search used.</param>
/// <param name="SatisfiesStrongWolfe">Whether both strong Wolfe conditions hold at the accepted point;
/// false when the search ran out of evaluations or the bracket collapsed first.</param>
public readonly record struct LineSearchResult(
    double Step, double Value, Tensor Gradient, int Evaluations, bool SatisfiesStrongWolfe);
