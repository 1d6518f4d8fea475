using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Watches a run for divergence the trainer's own check (a non-finite loss term) does not see: a non-finite
/// parameter, gradient or network output (on the error-monitor mesh) after a step, and a total loss that explodes, i.e. exceeds <see cref="LossGrowth"/> times
/// the lowest total loss of the run so far. Attach <see cref="Check"/> to <see cref="Trainer.StepCompleted"/>; it throws
/// <see cref="TrainingDivergedException"/> naming the step and the term (or "gradient"/"parameters"), so the run
/// stops before the bad state is reported as a resume point.
/// </summary>
public sealed class DivergenceGuard
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private StepRecord? _best;

    /// <summary>Guards <paramref name="parameters"/> (the network's and the problem's).</summary>
    public DivergenceGuard(IReadOnlyList<Parameter> parameters, double lossGrowth = 1e6)
    {
        if (!(lossGrowth > 1)) throw new ArgumentOutOfRangeException(nameof(lossGrowth), "the growth factor must exceed 1");
        _parameters = parameters;
        LossGrowth = lossGrowth;
    }

    /// <summary>A total loss above this multiple of the lowest so far counts as divergence.</summary>
    public double LossGrowth { get; }

    /// <summary>Forgets the steps seen so far (before going back to an earlier state).</summary>
    public void Reset() => _best = null;

    /// <summary>Takes earlier steps into account (a resumed run's history).</summary>
    public void Observe(IEnumerable<StepRecord> history)
    {
        foreach (var r in history)
            if (double.IsFinite(r.TotalLoss) && (_best is null || r.TotalLoss < _best.TotalLoss)) _best = r;
    }

    /// <summary>Checks the state after step <paramref name="record"/>; throws on divergence.</summary>
    public void Check(StepRecord record)
    {
        CheckFinite(record.Step);
        // The reported loss was evaluated before the step's last update (Adam: before it); the error on the monitor
        // mesh is measured after it, so it shows an update that overflowed the network's outputs at once.
        if (record.RelativeL2 is double error && !double.IsFinite(error))
            throw new TrainingDivergedException("output", record.Step, "non-finite",
                $"training diverged at step {record.Step}: the network's output is {(double.IsNaN(error) ? "NaN" : "infinite")} after the step");
        if (_best is { } best && best.TotalLoss > 0 && record.TotalLoss > LossGrowth * best.TotalLoss)
        {
            // Name the term that grew most against its value at the best step.
            var (term, now, then) = record.Terms
                .Select(t => (Term: t.Key, Now: t.Value, Then: best.Terms.TryGetValue(t.Key, out var b) ? b : double.NaN))
                .OrderByDescending(t => t.Then > 0 ? t.Now / t.Then : double.PositiveInfinity)
                .FirstOrDefault(("total", record.TotalLoss, best.TotalLoss));
            throw new TrainingDivergedException(term, record.Step, "exploding",
                $"training diverged at step {record.Step}: the loss exploded (total {record.TotalLoss:E3}, more than {LossGrowth:G3} × the " +
                $"lowest so far, {best.TotalLoss:E3} at step {best.Step}); loss term '{term}' grew most, from {then:E3} to {now:E3}");
        }
        Observe(new[] { record });
    }

    // One reduction over every parameter and gradient, so a healthy step costs one device synchronisation.
    private void CheckFinite(int step)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = _parameters.Select(p => p.sum()).Concat(_parameters.Where(p => p.grad is not null).Select(p => p.grad!.sum())).ToArray();
        if (sums.Length == 0 || double.IsFinite(stack(sums).sum().ToDouble())) return;
        // Something is not finite (or the sum overflowed): find what.
        foreach (var (p, i) in _parameters.Select((p, i) => (p, i)))
        {
            if (p.grad is { } g && !isfinite(g).all().ToBoolean())
                throw new TrainingDivergedException("gradient", step, "non-finite",
                    $"training diverged at step {step}: the gradient of parameter tensor {i} [{string.Join(", ", p.shape)}] has NaN or infinite entries");
            if (!isfinite(p).all().ToBoolean())
                throw new TrainingDivergedException("parameters", step, "non-finite",
                    $"training diverged at step {step}: parameter tensor {i} [{string.Join(", ", p.shape)}] has NaN or infinite entries");
        }
        throw new TrainingDivergedException("parameters", step, "overflowing",
            $"training diverged at step {step}: the parameters or gradients are too large to sum in floating point");
    }
}
