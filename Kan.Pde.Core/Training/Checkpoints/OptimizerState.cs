namespace Kan.Pde.Core.Training.Checkpoints;

/// <summary>
/// An optimizer's internal state between steps, as plain data: restoring it into a fresh optimizer of the same kind
/// and settings over the same parameters continues exactly where the captured one was.
/// </summary>
public abstract record OptimizerState
{
    /// <summary>Captures the state of <paramref name="optimizer"/> (L-BFGS or Adam).</summary>
    public static OptimizerState Capture(IOptimizer optimizer) => optimizer switch
    {
        Lbfgs lbfgs => lbfgs.CaptureState(),
        AdamOptimizer adam => AdamState.Capture(adam),
        _ => throw new NotSupportedException($"cannot capture the state of {optimizer.GetType().Name}"),
    };

    /// <summary>Puts this state into <paramref name="optimizer"/>, which must be of the captured kind.</summary>
    public abstract void RestoreInto(IOptimizer optimizer);
}

/// <summary>
/// L-BFGS state: the curvature pairs (s, y) oldest first with their 1/(sᵀy), the gradient and displacement of the
/// last iteration, the initial Hessian scale, and the iteration counters (the first iteration after a reset takes
/// a scaled steepest-descent step, so the count since the reset matters).
/// </summary>
public sealed record LbfgsState(
    IReadOnlyList<TensorData> Displacements,
    IReadOnlyList<TensorData> GradientChanges,
    IReadOnlyList<double> InverseCurvatures,
    TensorData? PreviousGradient,
    TensorData? LastDisplacement,
    double InitialHessianScale,
    int IterationsSinceReset,
    int Iterations,
    int Evaluations) : OptimizerState
{
    /// <inheritdoc />
    public override void RestoreInto(IOptimizer optimizer)
    {
        if (optimizer is not Lbfgs lbfgs) throw new InvalidDataException($"an L-BFGS state cannot go into {optimizer.GetType().Name}");
        lbfgs.RestoreState(this);
    }
}

/// <summary>Adam's per-parameter step counts and moments.</summary>
public sealed record AdamState(IReadOnlyList<long> Steps, IReadOnlyList<TensorData> ExpAvg, IReadOnlyList<TensorData> ExpAvgSq) : OptimizerState
{
    /// <summary>Captures <paramref name="adam"/>.</summary>
    public static AdamState Capture(AdamOptimizer adam)
    {
        var moments = adam.GetMoments();
        try
        {
            return new AdamState(moments.Select(m => m.Step).ToArray(), moments.Select(m => TensorData.From(m.ExpAvg)).ToArray(),
                moments.Select(m => TensorData.From(m.ExpAvgSq)).ToArray());
        }
        finally
        {
            foreach (var m in moments) m.Dispose();
        }
    }

    /// <inheritdoc />
    public override void RestoreInto(IOptimizer optimizer)
    {
        if (optimizer is not AdamOptimizer adam) throw new InvalidDataException($"an Adam state cannot go into {optimizer.GetType().Name}");
        if (Steps.Count != ExpAvg.Count || Steps.Count != ExpAvgSq.Count) throw new InvalidDataException("inconsistent Adam state");
        var moments = Steps.Select((s, i) => new AdamMoments(s, ExpAvg[i].ToTensor(), ExpAvgSq[i].ToTensor())).ToArray();
        try
        {
            adam.SetMoments(moments);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the saved Adam state does not fit: {e.Message}");
        }
        finally
        {
            foreach (var m in moments) m.Dispose();
        }
    }
}
