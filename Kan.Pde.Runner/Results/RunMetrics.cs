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

    /// <summary>Errors per output field (one entry for a scalar problem).</summary>
    public IReadOnlyList<ComponentMetrics> Components { get; init; } = Array.Empty<ComponentMetrics>();

    /// <summary>Errors against reference sample sets (<c>evaluation.reference</c>), per set and output.</summary>
    public IReadOnlyList<ReferenceMetrics> Reference { get; init; } = Array.Empty<ReferenceMetrics>();

    /// <summary>Results the problem reports beyond field errors (e.g. an eigenvalue and its error), keyed by name.</summary>
    public IReadOnlyDictionary<string, double> Quantities { get; init; } = new Dictionary<string, double>();

    /// <summary>Final unweighted loss terms keyed by name.</summary>
    public IReadOnlyDictionary<string, double> FinalLosses { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The unweighted loss terms evaluated after training at the cell centres of the evaluation mesh (and on a boundary mesh
    /// as fine): residuals between the collocation points.
    /// </summary>
    public IReadOnlyDictionary<string, double> EvaluationLosses { get; init; } = new Dictionary<string, double>();

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

/// <summary>Errors of one output field on the evaluation mesh.</summary>
/// <param name="Name">Field name, e.g. "u" or "p".</param>
/// <param name="RelativeL2">‖u_k − u*_k‖₂ / ‖u*_k‖₂.</param>
/// <param name="MaxAbsError">max |u_k − u*_k|.</param>
/// <param name="L2SquaredError">mean (u_k − u*_k)².</param>
/// <param name="UpToConstant">True when the field is defined up to a constant and its mean offset was removed first.</param>
public sealed record ComponentMetrics(string Name, double RelativeL2, double MaxAbsError, double L2SquaredError, bool UpToConstant);

/// <summary>Error of one output against one reference sample set.</summary>
/// <param name="Set">Reference set name.</param>
/// <param name="Output">Output name, e.g. "u".</param>
/// <param name="Points">Samples with a value for this output.</param>
/// <param name="MaxAbsError">max |prediction − reference| over those samples.</param>
/// <param name="RmsError">Root mean square of the difference.</param>
/// <param name="UpToConstant">True when the mean difference was removed first.</param>
public sealed record ReferenceMetrics(string Set, string Output, int Points, double MaxAbsError, double RmsError, bool UpToConstant);
