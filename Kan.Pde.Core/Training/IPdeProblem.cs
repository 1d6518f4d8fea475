using Kan.Pde.Core.Derivatives;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// A PDE problem states its physics: residual and boundary loss terms evaluated through an
/// <see cref="IFieldEvaluator"/> (it asks for derivatives, it does not compute them), and, when known,
/// the exact solution for error metrics.
/// </summary>
public interface IPdeProblem
{
    /// <summary>Problem family, e.g. "poisson".</summary>
    string Family { get; }

    /// <summary>Number of coordinates (D).</summary>
    int InputDimension { get; }

    /// <summary>Number of unknown fields (m).</summary>
    int OutputDimension { get; }

    /// <summary>The loss terms at the given points.</summary>
    IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points);

    /// <summary>The exact solution when known.</summary>
    IExactSolution? Exact { get; }
}

/// <summary>An exact (or reference) solution: values and gradients at points.</summary>
public interface IExactSolution
{
    /// <summary>u* as [N, m] at points [N, D].</summary>
    Tensor Value(Tensor points);

    /// <summary>∇u* as [N, D, m] at points [N, D].</summary>
    Tensor Gradient(Tensor points);
}
