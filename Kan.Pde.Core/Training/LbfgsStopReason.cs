namespace Kan.Pde.Core.Training;

/// <summary>Why an <see cref="Lbfgs.Step"/> ended; useful when tuning tolerances.</summary>
public enum LbfgsStopReason
{
    /// <summary>No step has run yet.</summary>
    None,

    /// <summary>All iterations of the step were used.</summary>
    MaxIterations,

    /// <summary>The step used its evaluation budget.</summary>
    MaxEvaluations,

    /// <summary>The largest gradient component fell to the gradient tolerance.</summary>
    GradientTolerance,

    /// <summary>The largest component of the last move fell to the change tolerance.</summary>
    StepTolerance,

    /// <summary>The loss changed by less than the change tolerance.</summary>
    LossTolerance,

    /// <summary>The search direction was not a descent direction (slope above −tolerance).</summary>
    NoDescent,
}
