using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Sampling;
using Kan.Pde.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Adaptive;

/// <summary>
/// Replaces collocation points during training: periodically with fresh points from the samplers, and/or the
/// interior by residual-adaptive distribution (RAD) from a candidate pool of the interior sampler.
/// </summary>
public sealed class PointResampler
{
    private readonly CollocationSampler _sampler;
    private readonly PeriodicResampling? _periodic;
    private readonly ResidualAdaptiveSampling? _adaptive;
    private readonly IPdeProblem _problem;
    private readonly IFieldEvaluator _evaluator;
    private readonly LossWeights _weights;
    private readonly Generator _generator;

    /// <summary>A resampler drawing from <paramref name="sampler"/> (positioned after the current points).</summary>
    public PointResampler(CollocationSampler sampler, PeriodicResampling? periodic, ResidualAdaptiveSampling? adaptive,
        IPdeProblem problem, IFieldEvaluator evaluator, LossWeights weights, int seed)
    {
        if (periodic is { Every: < 1 }) throw new ArgumentException("resampling needs a period of at least 1 step");
        if (adaptive is { Every: < 1 }) throw new ArgumentException("adaptive resampling needs a period of at least 1 step");
        if (adaptive is not null && sampler.Interior.Kind == SamplerKind.Mesh)
            throw new ArgumentException("residual-adaptive sampling draws candidates from the interior sampler, which must not be a mesh");
        if (adaptive is { Exponent: < 0 } or { Constant: < 0 }) throw new ArgumentException("the RAD exponent and constant must be ≥ 0");
        _sampler = sampler;
        _periodic = periodic;
        _adaptive = adaptive;
        _problem = problem;
        _evaluator = evaluator;
        _weights = weights;
        _generator = new Generator((ulong)seed + 104729);
    }

    /// <summary>Number of redistributions (periodic or adaptive) so far.</summary>
    public int Count { get; private set; }

    /// <summary>The points to use after step <paramref name="step"/> (0-based), or null to keep <paramref name="current"/>.</summary>
    public CollocationSet? After(int step, CollocationSet current)
    {
        bool periodic = _periodic is { } p && (step + 1) % p.Every == 0;
        bool adaptive = _adaptive is { } a && (step + 1) % a.Every == 0;
        if (!periodic && !adaptive) return null;
        Count++;
        var dtype = current.Interior.dtype;
        var device = current.Interior.device;
        var fresh = periodic ? _sampler.Next(dtype, device) : null;
        var interior = adaptive ? Redistribute(current) : fresh?.Interior ?? current.Interior;
        // Only the interior follows RAD; the boundary takes fresh points when the period says so.
        var boundary = fresh is not null && _sampler.Boundary.Changes
            ? new BoundaryPoints(fresh.Boundary, fresh.BoundaryPartIndex.ToArray(), fresh.BoundaryNormals)
            : new BoundaryPoints(current.Boundary, current.BoundaryPartIndex.ToArray(), current.BoundaryNormals);
        if (!_sampler.Interior.Changes) interior = current.Interior;
        return new CollocationSet(interior, boundary, current.PartNames);
    }

    /// <summary>
    /// Residual magnitude ε per interior point: √(Σ_t w_t·r_t²) over the terms with interior residuals (weights
    /// keep the equations of a system in the proportions the loss uses).
    /// </summary>
    public static Tensor InteriorResidual(IPdeProblem problem, IFieldEvaluator evaluator, LossWeights weights, CollocationSet points)
    {
        using var noGrad = no_grad();
        var terms = problem.Losses(evaluator, points).Where(t => t.At == PointSet.Interior && t.Residuals is not null).ToArray();
        if (terms.Length == 0)
            throw new InvalidOperationException($"the {problem.Family} problem reports no per-point interior residuals, which residual-adaptive sampling needs");
        Tensor? sum = null;
        foreach (var t in terms)
        {
            var r2 = t.Residuals!.square();
            if (r2.dim() > 1) r2 = r2.flatten(1).sum(1);
            r2 = r2 * weights[t.Name];
            sum = sum is null ? r2 : sum + r2;
        }
        return sum!.sqrt().detach();
    }

    /// <summary>Indices of <paramref name="count"/> distinct rows drawn with probability ∝ ε^k / mean(ε^k) + c.</summary>
    public static Tensor Pick(Tensor residual, int count, double exponent, double constant, Generator generator)
    {
        using var noGrad = no_grad();
        var e = residual.to(ScalarType.Float64).abs().pow(exponent);
        var mean = e.mean();
        var p = mean.item<double>() > 0 ? e / mean + constant : ones_like(e);
        if (!(p.sum().item<double>() > 0)) p = ones_like(e);
        return multinomial(p.cpu(), count, replacement: false, generator: generator).to(residual.device);
    }

    private Tensor Redistribute(CollocationSet current)
    {
        var a = _adaptive!;
        long n = current.Interior.shape[0];
        int pool = Math.Max(a.Candidates, (int)n);
        var candidates = _sampler.NextInterior(pool, current.Interior.dtype, current.Interior.device);
        var boundary = new BoundaryPoints(current.Boundary, current.BoundaryPartIndex.ToArray(), current.BoundaryNormals);
        var set = new CollocationSet(candidates, boundary, current.PartNames);
        var residual = InteriorResidual(_problem, _evaluator, _weights, set);
        var picked = Pick(residual, (int)n, a.Exponent, a.Constant, _generator);
        return candidates.index_select(0, picked);
    }
}
