using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Comparison;

/// <summary>One finished (or diverged) training run of a comparison.</summary>
/// <param name="Model">The compared model.</param>
/// <param name="Seed">Its seed.</param>
/// <param name="Metrics">Final metrics as written to the run's <c>metrics.json</c>; null when training diverged.</param>
/// <param name="Steps">Loss and errors after every step.</param>
/// <param name="Folder">The run's results folder relative to the comparison folder; null when nothing was written.</param>
/// <param name="Failure">Why the run has no results (divergence), else null.</param>
public sealed record ComparedRun(ComparedModel Model, int Seed, RunMetrics? Metrics, IReadOnlyList<StepErrors> Steps, string? Folder,
    string? Failure = null)
{
    /// <summary>True when the run finished and has metrics.</summary>
    public bool Succeeded => Metrics is not null;
}
