namespace Kan.Pde.Core.Training;

/// <summary>What the trainer reports after every optimizer step.</summary>
/// <param name="Step">Global step index (0-based, across stages).</param>
/// <param name="Stage">Stage index.</param>
/// <param name="GridSize">Spline grid size in force (0 for MLPs).</param>
/// <param name="TotalLoss">Weighted total loss at the last evaluation of the step.</param>
/// <param name="Terms">Unweighted mean squares of each loss term.</param>
/// <param name="RelativeL2">Relative L2 error against the exact solution, when known.</param>
/// <param name="Seconds">Wall seconds of training so far.</param>
/// <param name="Evaluations">Loss evaluations so far.</param>
public sealed record StepRecord(int Step, int Stage, int GridSize, double TotalLoss,
    IReadOnlyDictionary<string, double> Terms, double? RelativeL2, double Seconds, long Evaluations);

/// <summary>A change of spline grid between stages.</summary>
public sealed record GridChange(int Step, int FromGrid, int ToGrid);

/// <summary>Raised when a loss or gradient becomes NaN/Inf; names the term and step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string term, int step, string detail)
        : base($"training diverged at step {step}: loss term '{term}' is {detail}")
    {
        Term = term;
        Step = step;
        Detail = detail;
    }

    /// <summary>Creates the exception with its own message (for divergence other than a non-finite loss term).</summary>
    public TrainingDivergedException(string term, int step, string detail, string message) : base(message)
    {
        Term = term;
        Step = step;
        Detail = detail;
    }

    /// <summary>What happened: "NaN", "infinite", "exploding", "non-finite", ….</summary>
    public string Detail { get; } = "";

    /// <summary>The first non-finite term.</summary>
    public string Term { get; }

    /// <summary>The step at which it happened.</summary>
    public int Step { get; }
}
