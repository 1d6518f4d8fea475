namespace Kan.Pde.Runner.Results;

/// <summary>
/// One logged point of a training run: the loss and its unweighted terms at a given optimiser step.
/// </summary>
/// <param name="Step">Global optimiser step, counted across all stages.</param>
/// <param name="Stage">Index of the training stage (grid-refinement stage, optimiser switch, ...).</param>
/// <param name="GridSize">KAN spline grid size G in force at this step.</param>
/// <param name="TotalLoss">Weighted total loss that the optimiser minimised.</param>
/// <param name="Terms">Unweighted mean-square loss terms keyed by name, e.g. "pde" and "boundary".</param>
/// <param name="RelativeL2">Relative L2 error against the reference solution, when it was evaluated at this step.</param>
/// <param name="Seconds">Wall-clock seconds since the start of training.</param>
public sealed record HistoryRow(
    int Step,
    int Stage,
    int GridSize,
    double TotalLoss,
    IReadOnlyDictionary<string, double> Terms,
    double? RelativeL2,
    double Seconds);
