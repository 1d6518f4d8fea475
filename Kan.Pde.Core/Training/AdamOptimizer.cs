using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Adam over a list of parameters, wrapping TorchSharp's implementation, with access to the per-parameter
/// moments so that they can be carried across a change of parameterization such as a grid extension.
/// </summary>
public sealed class AdamOptimizer : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Adam _adam;
    private bool _disposed;

    /// <summary>Creates the optimizer with zero moments.</summary>
    public AdamOptimizer(IReadOnlyList<Parameter> parameters, AdamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0) throw new ArgumentException("no parameters to optimize", nameof(parameters));
        Options = options ?? new AdamOptions();
        Options.Validate();
        _parameters = parameters.ToArray();
        _adam = torch.optim.Adam(_parameters, Options.LearningRate, Options.Beta1, Options.Beta2, Options.Epsilon,
            Options.WeightDecay);
        // TorchSharp creates the moment tensors inside whatever dispose scope is active now; they must outlive it.
        foreach (var state in States())
        {
            state.exp_avg.DetachFromDisposeScope();
            state.exp_avg_sq.DetachFromDisposeScope();
        }
    }

    /// <summary>The optimized parameters, in construction order (the order of <see cref="GetMoments"/>).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The settings the optimizer was created with (see <see cref="LearningRate"/> for the live rate).</summary>
    public AdamOptions Options { get; }

    /// <summary>Current learning rate; settable for schedules.</summary>
    public double LearningRate
    {
        get => _adam.ParamGroups.First().LearningRate;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value));
            foreach (var group in _adam.ParamGroups) group.LearningRate = value;
        }
    }

    /// <inheritdoc />
    public int Evaluations { get; private set; }

    /// <inheritdoc />
    public double Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        ThrowIfDisposed();
        using var scope = torch.NewDisposeScope();
        Tensor loss;
        using (torch.enable_grad()) loss = closure();
        Evaluations++;
        if (loss is null) throw new InvalidOperationException("the closure returned null");
        if (loss.numel() != 1)
            throw new InvalidOperationException($"the closure must return a scalar loss, got shape [{string.Join(", ", loss.shape)}]");
        double value = loss.ToDouble();
        _adam.step();
        return value;
    }

    /// <summary>Sets all moments and step counts back to zero, as for a new optimizer.</summary>
    public void ResetState()
    {
        ThrowIfDisposed();
        using var _ = torch.no_grad();
        foreach (var state in States())
        {
            state.step = 0;
            state.exp_avg.zero_();
            state.exp_avg_sq.zero_();
        }
    }

    /// <summary>
    /// Copies of the moments, one entry per parameter in construction order. The caller owns (and disposes) them.
    /// </summary>
    public IReadOnlyList<AdamMoments> GetMoments()
    {
        ThrowIfDisposed();
        using var _ = torch.no_grad();
        return States()
            .Select(s => new AdamMoments(s.step, s.exp_avg.detach().clone(), s.exp_avg_sq.detach().clone()))
            .ToArray();
    }

    /// <summary>
    /// Overwrites the moments, one entry per parameter in construction order. Each tensor must already have its
    /// parameter's shape (transform moments of an old parameterization before calling this); values are copied,
    /// so the caller keeps ownership of <paramref name="moments"/>.
    /// </summary>
    public void SetMoments(IReadOnlyList<AdamMoments> moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        ThrowIfDisposed();
        var states = States();
        if (moments.Count != states.Length)
            throw new ArgumentException($"expected {states.Length} moment entries, got {moments.Count}", nameof(moments));
        // Validate everything before changing anything, so a bad entry leaves the state untouched.
        for (int i = 0; i < states.Length; i++)
        {
            var m = moments[i] ?? throw new ArgumentException($"moment entry {i} is null", nameof(moments));
            if (m.Step < 0) throw new ArgumentException($"moment entry {i} has a negative step", nameof(moments));
            var shape = _parameters[i].shape;
            if (!m.ExpAvg.shape.SequenceEqual(shape) || !m.ExpAvgSq.shape.SequenceEqual(shape))
                throw new ArgumentException(
                    $"moment entry {i}: shapes [{string.Join(", ", m.ExpAvg.shape)}] and [{string.Join(", ", m.ExpAvgSq.shape)}] " +
                    $"do not match the parameter's [{string.Join(", ", shape)}]", nameof(moments));
        }
        using var _ = torch.no_grad();
        for (int i = 0; i < states.Length; i++)
        {
            states[i].step = moments[i].Step;
            states[i].exp_avg.copy_(moments[i].ExpAvg);
            states[i].exp_avg_sq.copy_(moments[i].ExpAvgSq);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _adam.Dispose();
        _disposed = true;
    }

    // state_dict() lists the live per-parameter state objects in parameter order, which is what we edit.
    private Adam.State[] States() => _adam.state_dict().State.Cast<Adam.State>().ToArray();

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
