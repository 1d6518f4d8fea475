using Kan.Pde.Core.Derivatives;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// A PDE problem states its physics: residual and boundary loss terms evaluated through an
/// <see cref="IFieldEvaluator"/> (it asks for derivatives, it does not compute them), and, when known,
/// the exact or reference solution for error metrics. Loss weights are a training choice, not physics:
/// the trainer applies them by term name.
/// </summary>
public interface IPdeProblem
{
    /// <summary>Problem family, e.g. "poisson".</summary>
    string Family { get; }

    /// <summary>Number of coordinates (D).</summary>
    int InputDimension { get; }

    /// <summary>Number of unknown fields (m).</summary>
    int OutputDimension { get; }

    /// <summary>Names of the unknown fields in output order, e.g. ["u"] or ["u", "v", "p"].</summary>
    IReadOnlyList<string> OutputNames => OutputDimension == 1 ? new[] { "u" } : Enumerable.Range(0, OutputDimension).Select(k => $"u{k}").ToArray();

    /// <summary>Names of the loss terms <see cref="Losses"/> returns, in order (weights refer to them).</summary>
    IReadOnlyList<string> LossTermNames { get; }

    /// <summary>The loss terms (unweighted mean squares) at the given points.</summary>
    IReadOnlyList<LossTerm> Losses(IFieldEvaluator field, CollocationSet points);

    /// <summary>The exact (or reference) solution when known.</summary>
    IExactSolution? Exact { get; }

    /// <summary>Unknowns that belong to the problem rather than the network (e.g. an eigenvalue); trained alongside it.</summary>
    IReadOnlyList<Parameter> TrainableParameters => Array.Empty<Parameter>();

    /// <summary>Highest derivative order the loss terms ask the evaluator for (memory is estimated from it before a run).</summary>
    int DerivativeOrder => 2;

    /// <summary>Outputs fixed only up to an additive constant (e.g. pressure): errors are measured after removing the mean difference.</summary>
    IReadOnlyCollection<int> OutputsUpToConstant => Array.Empty<int>();
}

/// <summary>An exact (or reference) solution: values and, when available, gradients at points.</summary>
public interface IExactSolution
{
    /// <summary>u* as [N, m] at points [N, D].</summary>
    Tensor Value(Tensor points);

    /// <summary>∇u* as [N, D, m] at points [N, D], or null when the reference has no gradient.</summary>
    Tensor? Gradient(Tensor points);
}
