namespace Kan.Pde.Runner.Results;

/// <summary>
/// Final summary of one run: what was solved, with which model, how accurately and at what cost.
/// Serialised as <c>metrics.json</c>; non-finite numbers are written as <c>null</c>.
/// </summary>
public sealed record RunMetrics
{
    /// <summary>Run name, also the name of the output folder.</summary>
    public required string Name { get; init; }

    /// <summary>Problem family, e.g. "poisson-2d".</summary>
    public required string ProblemFamily { get; init; }

    /// <summary>Human-readable model description, e.g. "KAN [2,2,1] G=20 k=3".</summary>
    public required string Model { get; init; }

    /// <summary>Number of trainable parameters.</summary>
    public int Parameters { get; init; }

    /// <summary>‖u − u*‖₂ / ‖u*‖₂ on the evaluation grid.</summary>
    public double RelativeL2 { get; init; }

    /// <summary>max |u − u*| on the evaluation grid.</summary>
    public double MaxAbsError { get; init; }

    /// <summary>Squared L2 norm of the error, ∫(u − u*)².</summary>
    public double L2SquaredError { get; init; }

    /// <summary>Squared H1 norm of the error: L2 part plus gradient part.</summary>
    public double H1SquaredError { get; init; }

    /// <summary>Gradient part of the squared H1 error, ∫|∇(u − u*)|².</summary>
    public double H1GradientSquaredError { get; init; }

    /// <summary>Final unweighted loss terms keyed by name.</summary>
    public IReadOnlyDictionary<string, double> FinalLosses { get; init; } = new Dictionary<string, double>();

    /// <summary>Final weighted total loss.</summary>
    public double FinalTotalLoss { get; init; }

    /// <summary>Wall-clock seconds of the whole run, including setup and evaluation.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Wall-clock seconds spent in the training loop only.</summary>
    public double TrainingSeconds { get; init; }

    /// <summary>Optimiser steps taken.</summary>
    public int Steps { get; init; }

    /// <summary>Loss evaluations (L-BFGS evaluates the loss several times per step).</summary>
    public long LossEvaluations { get; init; }

    /// <summary>Floating-point type used for training, e.g. "float64".</summary>
    public string Dtype { get; init; } = "float64";

    /// <summary>Compute device, e.g. "cpu" or "cuda:0".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Random seed of the run.</summary>
    public long Seed { get; init; }

    /// <summary>File name of the problem specification the run was started from.</summary>
    public string? SpecFile { get; init; }
}
