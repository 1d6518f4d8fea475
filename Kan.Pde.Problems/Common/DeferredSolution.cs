using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Common;

/// <summary>
/// A reference solution computed on first use (e.g. a finite-difference solve taking seconds), so that loading or
/// listing a spec stays quick and only a run that measures errors pays for it. Computed once, also under concurrent use.
/// </summary>
public sealed class DeferredSolution : IExactSolution
{
    private readonly Lazy<IExactSolution> _solution;

    /// <summary>Computes the solution with <paramref name="compute"/> when it is first evaluated.</summary>
    public DeferredSolution(Func<IExactSolution> compute) => _solution = new Lazy<IExactSolution>(compute);

    /// <summary>Whether the solution has been computed.</summary>
    public bool IsComputed => _solution.IsValueCreated;

    /// <inheritdoc />
    public Tensor Value(Tensor points) => _solution.Value.Value(points);

    /// <inheritdoc />
    public Tensor? Gradient(Tensor points) => _solution.Value.Gradient(points);
}
