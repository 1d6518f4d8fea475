using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Adaptive;

/// <summary>
/// The per-point multipliers of residual-based attention (see <see cref="ResidualPointWeights"/>): kept per
/// loss term, applied in every evaluation as mean((λ·r)²), and updated after each step from the residuals of
/// the step's last evaluation.
/// </summary>
public sealed class PointWeights : IDisposable
{
    private readonly ResidualPointWeights _options;
    private readonly Dictionary<string, Tensor> _lambda = new();
    private readonly Dictionary<string, Tensor> _lastResidual = new();
    private readonly Dictionary<string, PointSet> _at = new();

    /// <summary>Multipliers with the given update rule.</summary>
    public PointWeights(ResidualPointWeights options)
    {
        if (!(options.Decay >= 0 && options.Decay < 1)) throw new ArgumentException("the RBA decay must be in [0, 1)");
        if (!(options.Rate > 0) || !double.IsFinite(options.Rate)) throw new ArgumentException("the RBA rate must be positive");
        _options = options;
    }

    /// <summary>True when <paramref name="term"/> gets point weights.</summary>
    public bool Applies(LossTerm term) => term.Residuals is not null && (_options.Terms is null || _options.Terms.Contains(term.Name));

    /// <summary>The current multipliers of a term (null before its first evaluation).</summary>
    public Tensor? Of(string term) => _lambda.TryGetValue(term, out var l) ? l : null;

    /// <summary>mean((λ·r)²) for the term, remembering |r| for the next update.</summary>
    public Tensor WeightedMeanSquare(LossTerm term)
    {
        var r = term.Residuals!;
        _at[term.Name] = term.At;
        var magnitude = (r.dim() > 1 ? r.square().flatten(1).sum(1).sqrt() : r.abs()).detach();
        if (!_lambda.TryGetValue(term.Name, out var lambda) || lambda.shape[0] != magnitude.shape[0])
        {
            lambda?.Dispose();
            lambda = ones(magnitude.shape[0], dtype: r.dtype, device: r.device).DetachFromDisposeScope();
            _lambda[term.Name] = lambda;
        }
        if (_lastResidual.Remove(term.Name, out var old)) old.Dispose();
        _lastResidual[term.Name] = magnitude.clone().DetachFromDisposeScope();
        var weighted = r.dim() > 1 ? r * lambda.view(-1, 1) : r * lambda;
        return SupervisedLosses.MeanSquare(weighted);   // r·r: see LossTerm.OfResiduals
    }

    /// <summary>λ ← γ·λ + η·|r|/max|r| from the residuals of the last evaluation.</summary>
    public void Update()
    {
        using var noGrad = no_grad();
        foreach (var (name, magnitude) in _lastResidual)
        {
            if (!_lambda.TryGetValue(name, out var lambda) || lambda.shape[0] != magnitude.shape[0]) continue;
            double max = magnitude.max().item<double>();
            if (!(max > 0) || !double.IsFinite(max)) continue;
            lambda.mul_(_options.Decay).add_(magnitude / max * _options.Rate);
        }
    }

    /// <summary>
    /// The points of <paramref name="set"/> changed: the multipliers of the terms on them restart at the mean of the
    /// old ones, which keeps the scale of the loss and forgets where the old points were.
    /// </summary>
    public void Restart(PointSet set)
    {
        using var noGrad = no_grad();
        foreach (var (name, at) in _at)
        {
            if (at != set) continue;
            if (_lambda.TryGetValue(name, out var lambda)) lambda.fill_(lambda.mean().item<double>());
            if (_lastResidual.Remove(name, out var old)) old.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _lambda.Values.Concat(_lastResidual.Values)) t.Dispose();
        _lambda.Clear();
        _lastResidual.Clear();
    }
}
