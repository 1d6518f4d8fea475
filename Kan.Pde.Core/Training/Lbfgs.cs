using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Limited-memory BFGS (Nocedal &amp; Wright, Alg. 7.4 two-loop recursion, Alg. 7.5 outer loop) with an optional
/// strong Wolfe line search, over a flat view of the parameters held in host memory.
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

    // Curvature pairs, oldest first. All vectors live in host memory: the method's own arithmetic is a few dot
    // products and updates of parameter-sized vectors, far cheaper as plain loops than as tensor operations.
    private readonly List<double[]> _displacements = new();
    private readonly List<double[]> _gradientChanges = new();
    private readonly List<double> _inverseCurvatures = new();

    private double[]? _previousGradient;
    private double[]? _lastDisplacement;
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
        _previousGradient = null;
        _lastDisplacement = null;
        _initialHessianScale = 1.0;
        _iterationsSinceReset = 0;
    }

    /// <inheritdoc />
    public double Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        ThrowIfDisposed();
        var o = Options;

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
            Iterations++;
            _iterationsSinceReset++;
            bool first = _iterationsSinceReset == 1;

            double[] direction;
            if (first)
            {
                ClearHistory();
                _initialHessianScale = 1.0;
                direction = Negated(gradient);
            }
            else
            {
                UpdateHistory(gradient);
                direction = TwoLoopDirection(gradient);
            }
            _previousGradient = (double[])gradient.Clone();
            _lastDisplacement = null;
            double previousLoss = loss;

            // The very first step has no curvature information, so keep its length at most 1 in the ℓ₁ sense.
            double step = first ? Math.Min(1.0, 1.0 / L1(gradient)) * o.LearningRate : o.LearningRate;

            double slope = Dot(gradient, direction);
            if (slope > -o.ToleranceChange)
            {
                LastStopReason = LbfgsStopReason.NoDescent;
                break;
            }

            var start = _flat.ReadValues();
            double[] newGradient;
            int used;
            if (o.LineSearch == LbfgsLineSearch.StrongWolfe)
            {
                var result = _lineSearch.Search(
                    alpha =>
                    {
                        var (value, g) = EvaluateAt(closure, start, direction, alpha);
                        return (value, g, Dot(g, direction));
                    },
                    MaxAbs(direction), loss, gradient, slope, step, g => (double[])g.Clone());
                step = result.Step;
                loss = result.Value;
                newGradient = result.Gradient;
                used = result.Evaluations;
                // The last trial need not be the accepted one, so put the accepted point back explicitly.
                _flat.Write(Moved(start, direction, step));
            }
            else
            {
                _flat.Write(Moved(start, direction, step));
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

            if (step != 0) _lastDisplacement = Scaled(direction, step);
            evaluations += used;
            gradient = newGradient;

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
        _previousGradient = null;
        _lastDisplacement = null;
        _disposed = true;
    }

    /// <summary>The state between steps as plain data (curvature pairs, last gradient and displacement, scale, counters).</summary>
    public Checkpoints.LbfgsState CaptureState()
    {
        ThrowIfDisposed();
        return new Checkpoints.LbfgsState(
            _displacements.Select(Checkpoints.TensorData.FromVector).ToArray(),
            _gradientChanges.Select(Checkpoints.TensorData.FromVector).ToArray(),
            _inverseCurvatures.ToArray(),
            _previousGradient is null ? null : Checkpoints.TensorData.FromVector(_previousGradient),
            _lastDisplacement is null ? null : Checkpoints.TensorData.FromVector(_lastDisplacement),
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
            if (v.DType != ScalarType.Float64 || v.Shape.Length != 1 || v.Shape[0] != _flat.Count)
                throw new InvalidDataException($"an L-BFGS vector of {v.DType} [{string.Join(", ", v.Shape)}] does not fit {_flat.Count} parameters");
        }
        Reset();
        foreach (var (s, y) in state.Displacements.Zip(state.GradientChanges))
        {
            _displacements.Add(s.ToVector());
            _gradientChanges.Add(y.ToVector());
        }
        _inverseCurvatures.AddRange(state.InverseCurvatures);
        _previousGradient = state.PreviousGradient?.ToVector();
        _lastDisplacement = state.LastDisplacement?.ToVector();
        _initialHessianScale = state.InitialHessianScale;
        _iterationsSinceReset = state.IterationsSinceReset;
        Iterations = state.Iterations;
        Evaluations = state.Evaluations;
    }

    private (double Loss, double[] Gradient) Evaluate(Func<Tensor> closure)
    {
        using var scope = torch.NewDisposeScope();
        Tensor lossTensor;
        using (torch.enable_grad()) lossTensor = closure();
        Evaluations++;
        if (lossTensor is null) throw new InvalidOperationException("the closure returned null");
        if (lossTensor.numel() != 1)
            throw new InvalidOperationException($"the closure must return a scalar loss, got shape [{string.Join(", ", lossTensor.shape)}]");
        return (lossTensor.ToDouble(), _flat.ReadGradients());
    }

    private (double Loss, double[] Gradient) EvaluateAt(Func<Tensor> closure, double[] start, double[] direction, double alpha)
    {
        _flat.Write(Moved(start, direction, alpha));
        return Evaluate(closure);
    }

    // Adds (s, y) from the previous iteration when it has positive curvature; otherwise the BFGS update would not
    // stay positive definite and the pair is dropped.
    private void UpdateHistory(double[] gradient)
    {
        if (_lastDisplacement is null || _previousGradient is null) return;
        var change = new double[gradient.Length];
        for (int i = 0; i < change.Length; i++) change[i] = gradient[i] - _previousGradient[i];
        double curvature = Dot(change, _lastDisplacement);
        if (!(curvature > Options.CurvatureThreshold)) return;

        if (_displacements.Count == Options.HistorySize)
        {
            _displacements.RemoveAt(0);
            _gradientChanges.RemoveAt(0);
            _inverseCurvatures.RemoveAt(0);
        }
        _displacements.Add(_lastDisplacement);
        _lastDisplacement = null;
        _gradientChanges.Add(change);
        _inverseCurvatures.Add(1.0 / curvature);
        // Scaling H₀ = (sᵀy / yᵀy)·I (N&W eq. 7.20) makes the unit step well sized from the second iteration on.
        _initialHessianScale = curvature / Dot(change, change);
    }

    // N&W Alg. 7.4: r = H·(−g) with H the L-BFGS inverse-Hessian approximation.
    private double[] TwoLoopDirection(double[] gradient)
    {
        int m = _displacements.Count;
        var alphas = new double[m];
        var q = Negated(gradient);
        for (int i = m - 1; i >= 0; i--)
        {
            alphas[i] = _inverseCurvatures[i] * Dot(_displacements[i], q);
            AddScaled(q, _gradientChanges[i], -alphas[i]);
        }
        for (int i = 0; i < q.Length; i++) q[i] *= _initialHessianScale;
        for (int i = 0; i < m; i++)
        {
            double beta = _inverseCurvatures[i] * Dot(_gradientChanges[i], q);
            AddScaled(q, _displacements[i], alphas[i] - beta);
        }
        return q;
    }

    private void ClearHistory()
    {
        _displacements.Clear();
        _gradientChanges.Clear();
        _inverseCurvatures.Clear();
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static double MaxAbs(double[] a)
    {
        double max = 0;
        foreach (double v in a)
        {
            double abs = Math.Abs(v);
            if (abs > max || double.IsNaN(abs)) max = abs;
            if (double.IsNaN(max)) return max;
        }
        return max;
    }

    private static double L1(double[] a)
    {
        double sum = 0;
        foreach (double v in a) sum += Math.Abs(v);
        return sum;
    }

    private static double[] Negated(double[] a)
    {
        var result = new double[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = -a[i];
        return result;
    }

    private static double[] Scaled(double[] a, double factor)
    {
        var result = new double[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = a[i] * factor;
        return result;
    }

    private static double[] Moved(double[] start, double[] direction, double alpha)
    {
        var result = new double[start.Length];
        for (int i = 0; i < start.Length; i++) result[i] = start[i] + alpha * direction[i];
        return result;
    }

    private static void AddScaled(double[] target, double[] a, double factor)
    {
        for (int i = 0; i < target.Length; i++) target[i] += factor * a[i];
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
