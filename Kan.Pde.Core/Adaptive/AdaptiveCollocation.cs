using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Adaptive;

/// <summary>
/// The trainer's adaptation strategy assembled from the spec's options: resampling (periodic or
/// residual-adaptive), per-point residual weights and automatic term balancing, each optional.
/// </summary>
public sealed class AdaptiveCollocation : ITrainingAdaptation, IDisposable
{
    private readonly PointResampler? _resampler;
    private readonly PointWeights? _pointWeights;
    private readonly TermBalancer? _balancer;
    private readonly IPdeProblem _problem;
    private readonly IFieldEvaluator _evaluator;
    private readonly LossWeights _weights;

    /// <summary>Starts on <paramref name="points"/>; every option may be null.</summary>
    public AdaptiveCollocation(CollocationSet points, IPdeProblem problem, IFieldEvaluator evaluator, LossWeights weights,
        PointResampler? resampler, ResidualPointWeights? pointWeights, TermBalancing? balancing, IReadOnlyList<Parameter> parameters)
    {
        Points = points;
        _problem = problem;
        _evaluator = evaluator;
        _weights = weights;
        _resampler = resampler;
        _pointWeights = pointWeights is null ? null : new PointWeights(pointWeights);
        _balancer = balancing is null ? null : new TermBalancer(balancing, parameters);
    }

    /// <inheritdoc />
    public CollocationSet Points { get; private set; }

    /// <summary>The point multipliers (null without point weights).</summary>
    public PointWeights? PointWeights => _pointWeights;

    /// <summary>The term multipliers (null without balancing).</summary>
    public TermBalancer? Balancer => _balancer;

    /// <summary>Number of times the points were replaced.</summary>
    public int Resamplings => _resampler?.Count ?? 0;

    /// <inheritdoc />
    public Tensor Total(IReadOnlyList<LossTerm> terms, LossWeights weights)
    {
        if (terms.Count == 0) throw new ArgumentException("a loss needs at least one term");
        Tensor? total = null;
        foreach (var (name, loss) in Weighted(terms))
        {
            var part = loss * (weights[name] * (_balancer?[name] ?? 1.0));
            total = total is null ? part : total + part;
        }
        return total!;
    }

    /// <inheritdoc />
    public void AfterStep(int step)
    {
        _pointWeights?.Update();
        if (_balancer is not null && _balancer.Due(step))
        {
            using var scope = NewDisposeScope();
            var terms = _problem.Losses(_evaluator, Points).Where(t => _weights[t.Name] > 0).ToArray();
            // Point weights must not move during this extra evaluation: use the terms as weighted, without updating memory.
            _balancer.Update(terms.Select(t => (t.Name, _pointWeights is not null && _pointWeights.Applies(t)
                ? PointWeightedCopy(t) : t.MeanSquare * _weights[t.Name])).ToArray());
        }
        if (_resampler?.After(step, Points) is { } next)
        {
            var changedInterior = !ReferenceEquals(next.Interior, Points.Interior);
            var changedBoundary = !ReferenceEquals(next.Boundary, Points.Boundary);
            Points = next;
            if (changedInterior) _pointWeights?.Restart(PointSet.Interior);
            if (changedBoundary) _pointWeights?.Restart(PointSet.Boundary);
        }
    }

    private IEnumerable<(string Name, Tensor Loss)> Weighted(IReadOnlyList<LossTerm> terms) =>
        terms.Select(t => (t.Name, _pointWeights is not null && _pointWeights.Applies(t) ? _pointWeights.WeightedMeanSquare(t) : t.MeanSquare));

    private Tensor PointWeightedCopy(LossTerm term)
    {
        var lambda = _pointWeights!.Of(term.Name);
        var r = term.Residuals!;
        if (lambda is null || lambda.shape[0] != r.shape[0]) return term.MeanSquare * _weights[term.Name];
        var weighted = r.dim() > 1 ? r * lambda.view(-1, 1) : r * lambda;
        return SupervisedLosses.MeanSquare(weighted) * _weights[term.Name];   // r·r: see LossTerm.OfResiduals
    }

    /// <inheritdoc />
    public void Dispose() => _pointWeights?.Dispose();
}
