using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Limited-memory BFGS (Nocedal &amp; Wright, Alg. 7.4 two-loop recursion, Alg. 7.5 outer loop) with an optional
/// strong Wolfe line search, over a flat view of the parameters.
/// </summary>
/// <remarks>
/// One <see cref="Step"/> follows the PyTorch/pykan definition of an optimizer step: evaluate the closure, then
/// run up to <see cref="LbfgsOptions.MaxIterations"/> quasi-Newton iterations. The curvature history, the last
/// displacement and the last gradient survive between steps, so consecutive steps continue one run; call
/// <see cref="Reset"/> when the parameterization changes (e.g. after a grid extension).
/// </remarks>
public sealed class Lbfgs : IOptimizer
{
    private readonly FlatParameters _flat;
    private readonly StrongWolfeLineSearch _lineSearch;

    // Curvature pairs, oldest first, owned by this instance (detached from every dispose scope).
    private readonly List<Tensor> _displacements = new();
    private readonly List<Tensor> _gradientChanges = new();
    private readonly List<double> _inverseCurvatures = new();

    private Tensor? _previousGradient;
    private Tensor? _lastDisplacement;
    private double _initialHessianScale = 1.0;
    private int _iterationsSinceReset;
    private bool _disposed;

    /// <summary>Creates the optimizer; all parameters must share one floating dtype and one device.</summary>
    public Lbfgs(IReadOnlyList<Parameter> parameters, LbfgsOptions? options = null)
    {
        Options = options ?? new LbfgsOptions();
        Options.Validate();
        _flat = new FlatParameters(parameters);
        _lineSearch = new StrongWolfeLineSearch
        {
            C1 = Options.SufficientDecrease,
            C2 = Options.CurvatureCondition,
            MaxEvaluations = Options.LineSearchMaxEvaluations,
            ToleranceChange = Options.ToleranceChange,
        };
    }

    /// <summary>The settings in use.</summary>
    public LbfgsOptions Options { get; }

    /// <inheritdoc />
    public int Evaluations { get; private set; }

    /// <summary>Total quasi-Newton iterations since construction.</summary>
    public int Iterations { get; private set; }

    /// <summary>Number of curvature pairs currently stored.</summary>
    public int HistoryCount => _displacements.Count;

    /// <summary>Why the most recent <see cref="Step"/> returned.</summary>
    public LbfgsStopReason LastStopReason { get; private set; } = LbfgsStopReason.None;

    /// <summary>
    /// Forgets the curvature history and the previous step, so the next iteration starts again with a scaled
    /// steepest-descent step, exactly like a freshly constructed optimizer. Counters keep running.
    /// </summary>
    public void Reset()
    {
        ThrowIfDisposed();
        ClearHistory();
        Replace(ref _previousGradient, null);
        Replace(ref _lastDisplacement, null);
        _initialHessianScale = 1.0;
        _iterationsSinceReset = 0;
    }

    /// <inheritdoc />
    public double Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        ThrowIfDisposed();
        var o = Options;
        using var stepScope = torch.NewDisposeScope();

        var (loss, gradient) = Evaluate(closure);
        double startLoss = loss;
        int evaluations = 1;
        if (MaxAbs(gradient) <= o.ToleranceGrad)
        {
            LastStopReason = LbfgsStopReason.GradientTolerance;
            return startLoss;
        }

        LastStopReason = LbfgsStopReason.MaxIterations;
        for (int iteration = 1; iteration <= o.MaxIterations; iteration++)
        {
            using var iterationScope = torch.NewDisposeScope();
            Iterations++;
            _iterationsSinceReset++;
            bool first = _iterationsSinceReset == 1;

            Tensor direction;
            if (first)
            {
                ClearHistory();
                _initialHessianScale = 1.0;
                direction = gradient.neg();
            }
            else
            {
                UpdateHistory(gradient);
                direction = TwoLoopDirection(gradient);
            }
            Replace(ref _previousGradient, gradient.clone());
            Replace(ref _lastDisplacement, null);
            double previousLoss = loss;

            // The very first step has no curvature information, so keep its length at most 1 in the ℓ₁ sense.
            double step = first ? Math.Min(1.0, 1.0 / L1(gradient)) * o.LearningRate : o.LearningRate;

            double slope = Dot(gradient, direction);
            if (slope > -o.ToleranceChange)
            {
                LastStopReason = LbfgsStopReason.NoDescent;
                break;
            }

            var start = _flat.GatherValues();
            Tensor newGradient;
            int used;
            if (o.LineSearch == LbfgsLineSearch.StrongWolfe)
            {
                var result = _lineSearch.Search(
                    alpha => EvaluateAt(closure, start, direction, alpha),
                    direction, loss, gradient, slope, step);
                step = result.Step;
                loss = result.Value;
                newGradient = result.Gradient;
                used = result.Evaluations;
                // The last trial need not be the accepted one, so put the accepted point back explicitly.
                using var accepted = start.add(direction, alpha: step);
                _flat.Scatter(accepted);
            }
            else
            {
                using (var moved = start.add(direction, alpha: step)) _flat.Scatter(moved);
                // Like PyTorch, skip the evaluation after the final iteration: the next Step evaluates anyway.
                if (iteration != o.MaxIterations)
                {
                    (loss, newGradient) = Evaluate(closure);
                    used = 1;
                }
                else
                {
                    newGradient = gradient;
                    used = 0;
                }
            }

            if (step != 0) Replace(ref _lastDisplacement, direction.mul(step));
            evaluations += used;
            if (!ReferenceEquals(newGradient, gradient)) gradient = newGradient.MoveToOuterDisposeScope();

            if (iteration == o.MaxIterations) break;
            if (evaluations >= o.MaxEvaluations) { LastStopReason = LbfgsStopReason.MaxEvaluations; break; }
            if (used > 0 && MaxAbs(gradient) <= o.ToleranceGrad) { LastStopReason = LbfgsStopReason.GradientTolerance; break; }
            if (Math.Abs(step) * MaxAbs(direction) <= o.ToleranceChange) { LastStopReason = LbfgsStopReason.StepTolerance; break; }
            if (Math.Abs(loss - previousLoss) < o.ToleranceChange) { LastStopReason = LbfgsStopReason.LossTolerance; break; }
        }
        return startLoss;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        ClearHistory();
        Replace(ref _previousGradient, null);
        Replace(ref _lastDisplacement, null);
        _disposed = true;
    }

    /// <summary>The state between steps as plain data (curvature pairs, last gradient and displacement, scale, counters).</summary>
    public Checkpoints.LbfgsState CaptureState()
    {
        ThrowIfDisposed();
        return new Checkpoints.LbfgsState(
            _displacements.Select(t => Checkpoints.TensorData.From(t)).ToArray(),
            _gradientChanges.Select(t => Checkpoints.TensorData.From(t)).ToArray(),
            _inverseCurvatures.ToArray(),
            _previousGradient is null ? null : Checkpoints.TensorData.From(_previousGradient),
            _lastDisplacement is null ? null : Checkpoints.TensorData.From(_lastDisplacement),
            _initialHessianScale, _iterationsSinceReset, Iterations, Evaluations);
    }

    /// <summary>Replaces the state with a captured one over parameters of the same total size and type.</summary>
    public void RestoreState(Checkpoints.LbfgsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ThrowIfDisposed();
        int pairs = state.Displacements.Count;
        if (state.GradientChanges.Count != pairs || state.InverseCurvatures.Count != pairs || pairs > Options.HistorySize)
            throw new InvalidDataException($"inconsistent L-BFGS state ({pairs} displacements, {state.GradientChanges.Count} gradient changes, " +
                                           $"{state.InverseCurvatures.Count} curvatures; history size {Options.HistorySize})");
        var vectors = state.Displacements.Concat(state.GradientChanges)
            .Concat(new[] { state.PreviousGradient, state.LastDisplacement }.OfType<Checkpoints.TensorData>());
        foreach (var v in vectors)
        {
            v.Validate("L-BFGS vector");
            if (v.DType != _flat.DType || v.Shape.Length != 1 || v.Shape[0] != _flat.Count)
                throw new InvalidDataException($"an L-BFGS vector of {v.DType} [{string.Join(", ", v.Shape)}] does not fit {_flat.Count} parameters of {_flat.DType}");
        }
        Reset();
        foreach (var (s, y) in state.Displacements.Zip(state.GradientChanges))
        {
            _displacements.Add(s.ToTensor(_flat.Device).DetachFromDisposeScope());
            _gradientChanges.Add(y.ToTensor(_flat.Device).DetachFromDisposeScope());
        }
        _inverseCurvatures.AddRange(state.InverseCurvatures);
        Replace(ref _previousGradient, state.PreviousGradient?.ToTensor(_flat.Device));
        Replace(ref _lastDisplacement, state.LastDisplacement?.ToTensor(_flat.Device));
        _initialHessianScale = state.InitialHessianScale;
        _iterationsSinceReset = state.IterationsSinceReset;
        Iterations = state.Iterations;
        Evaluations = state.Evaluations;
    }

    private (double Loss, Tensor Gradient) Evaluate(Func<Tensor> closure)
    {
        Tensor lossTensor;
        using (torch.enable_grad()) lossTensor = closure();
        Evaluations++;
        if (lossTensor is null) throw new InvalidOperationException("the closure returned null");
        if (lossTensor.numel() != 1)
            throw new InvalidOperationException($"the closure must return a scalar loss, got shape [{string.Join(", ", lossTensor.shape)}]");
        return (lossTensor.ToDouble(), _flat.GatherGradients());
    }

    private (double Loss, Tensor Gradient) EvaluateAt(Func<Tensor> closure, Tensor start, Tensor direction, double alpha)
    {
        using (var point = start.add(direction, alpha: alpha)) _flat.Scatter(point);
        return Evaluate(closure);
    }

    // Adds (s, y) from the previous iteration when it has positive curvature; otherwise the BFGS update would not
    // stay positive definite and the pair is dropped.
    private void UpdateHistory(Tensor gradient)
    {
        if (_lastDisplacement is null || _previousGradient is null) return;
        var change = gradient.sub(_previousGradient);
        double curvature = Dot(change, _lastDisplacement);
        if (!(curvature > Options.CurvatureThreshold)) return;

        if (_displacements.Count == Options.HistorySize)
        {
            _displacements[0].Dispose();
            _gradientChanges[0].Dispose();
            _displacements.RemoveAt(0);
            _gradientChanges.RemoveAt(0);
            _inverseCurvatures.RemoveAt(0);
        }
        _displacements.Add(_lastDisplacement);
        _lastDisplacement = null;
        _gradientChanges.Add(change.DetachFromDisposeScope());
        _inverseCurvatures.Add(1.0 / curvature);
        // Scaling H₀ = (sᵀy / yᵀy)·I (N&W eq. 7.20) makes the unit step well sized from the second iteration on.
        _initialHessianScale = curvature / Dot(change, change);
    }

    // N&W Alg. 7.4: r = H·(−g) with H the L-BFGS inverse-Hessian approximation.
    private Tensor TwoLoopDirection(Tensor gradient)
    {
        int m = _displacements.Count;
        var alphas = new double[m];
        var q = gradient.neg();
        for (int i = m - 1; i >= 0; i--)
        {
            alphas[i] = _inverseCurvatures[i] * Dot(_displacements[i], q);
            q.add_(_gradientChanges[i], alpha: -alphas[i]);
        }
        q.mul_(_initialHessianScale);
        for (int i = 0; i < m; i++)
        {
            double beta = _inverseCurvatures[i] * Dot(_gradientChanges[i], q);
            q.add_(_displacements[i], alpha: alphas[i] - beta);
        }
        return q;
    }

    private void ClearHistory()
    {
        foreach (var t in _displacements) t.Dispose();
        foreach (var t in _gradientChanges) t.Dispose();
        _displacements.Clear();
        _gradientChanges.Clear();
        _inverseCurvatures.Clear();
    }

    // Tensors kept across iterations or steps must leave the per-iteration dispose scope.
    private static void Replace(ref Tensor? field, Tensor? value)
    {
        if (ReferenceEquals(field, value)) return;
        field?.Dispose();
        field = value?.DetachFromDisposeScope();
    }

    private static double Dot(Tensor a, Tensor b)
    {
        using var d = a.dot(b);
        return d.ToDouble();
    }

    private static double MaxAbs(Tensor a)
    {
        using var abs = a.abs();
        using var max = abs.max();
        return max.ToDouble();
    }

    private static double L1(Tensor a)
    {
        using var abs = a.abs();
        using var sum = abs.sum();
        return sum.ToDouble();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
