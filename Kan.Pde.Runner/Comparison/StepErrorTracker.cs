using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Setup;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// Measures the errors of a run's network after every step (L², H¹ and per-field L² on the evaluation mesh), so
/// that comparisons can plot error against step, and KANs contribute one scaling point per grid size.
/// </summary>
/// <remarks>The measurement runs inside the training clock; it costs one forward pass with first derivatives on the
/// evaluation mesh per step, a small fraction of an L-BFGS step's ~20 loss evaluations with second derivatives.</remarks>
internal sealed class StepErrorTracker(RunSetup setup)
{
    private readonly List<StepErrors> _rows = new();

    /// <summary>Rows recorded so far, one per step.</summary>
    public IReadOnlyList<StepErrors> Rows => _rows;

    /// <summary>Trainer observer: records the state after the step just taken.</summary>
    public void Observe(StepRecord step)
    {
        // A rollback after a divergence replays steps from an earlier state: the replay replaces what it repeats.
        _rows.RemoveAll(r => r.Step >= step.Step);
        var problem = setup.Problem;
        var errors = problem.Exact is { } exact
            ? ErrorMetrics.Compute(setup.Network, exact, setup.EvaluationPoints, problem.OutputNames, problem.OutputsUpToConstant)
            : null;
        var fields = errors?.Components.Select(c => new KeyValuePair<string, double>(c.Name, c.L2Squared)).ToArray()
                     ?? problem.OutputNames.Select(n => new KeyValuePair<string, double>(n, double.NaN)).ToArray();
        var terms = problem.LossTermNames.Select(t => new KeyValuePair<string, double>(t, step.Terms.TryGetValue(t, out var v) ? v : double.NaN))
            .ToArray();
        _rows.Add(new StepErrors(step.Step, step.Stage, step.GridSize, setup.Network.ParameterCount, step.TotalLoss, terms,
            errors?.RelativeL2 ?? double.NaN, errors?.L2Squared ?? double.NaN, errors?.H1Squared ?? double.NaN, fields, step.Seconds));
    }
}
