using Kan.Pde.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Adaptive;

/// <summary>
/// Automatic loss-term weights (see <see cref="TermBalancing"/>): per term a multiplier λ_t, recomputed from the
/// gradients of the terms with respect to the trainable parameters and smoothed over updates.
/// </summary>
public sealed class TermBalancer
{
    private readonly TermBalancing _options;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Dictionary<string, double> _lambda = new();

    /// <summary>Balances terms of a loss over <paramref name="parameters"/>.</summary>
    public TermBalancer(TermBalancing options, IReadOnlyList<Parameter> parameters)
    {
        if (options.Every < 1) throw new ArgumentException("term balancing needs a period of at least 1 step");
        if (!(options.Smoothing >= 0 && options.Smoothing < 1)) throw new ArgumentException("the balancing smoothing must be in [0, 1)");
        _options = options;
        _parameters = parameters;
    }

    /// <summary>The multiplier of a term (1 until the first update).</summary>
    public double this[string term] => _lambda.TryGetValue(term, out var l) ? l : 1.0;

    /// <summary>The current multipliers.</summary>
    public IReadOnlyDictionary<string, double> Weights => _lambda;

    /// <summary>Whether the weights are recomputed after step <paramref name="step"/>.</summary>
    public bool Due(int step) => (step + 1) % _options.Every == 0;

    /// <summary>
    /// Recomputes the multipliers from <paramref name="terms"/> (each as it enters the loss, before the multiplier; in
    /// the graph of the parameters). Terms with a zero spec weight are left out. Leaves the parameters' gradients zeroed.
    /// </summary>
    public void Update(IReadOnlyList<(string Name, Tensor Loss)> terms)
    {
        var norms = new Dictionary<string, (double L2, double Max, double Mean)>();
        foreach (var (name, loss) in terms)
        {
            foreach (var p in _parameters) p.grad?.zero_();
            loss.backward(retain_graph: true);
            double sq = 0, max = 0, abs = 0;
            long count = 0;
            using (no_grad())
                foreach (var p in _parameters)
                {
                    if (p.grad is not { } g) continue;
                    sq += g.square().sum().item<double>();
                    max = Math.Max(max, g.abs().max().item<double>());
                    abs += g.abs().sum().item<double>();
                    count += g.numel();
                }
            norms[name] = (Math.Sqrt(sq), max, count > 0 ? abs / count : 0);
        }
        foreach (var p in _parameters) p.grad?.zero_();
        if (norms.Count == 0) return;

        double total = norms.Values.Sum(n => n.L2);
        string first = terms[0].Name;
        foreach (var (name, n) in norms)
        {
            double target = _options.Method switch
            {
                BalancingMethod.GradNorm => n.L2 > 0 ? total / n.L2 : double.NaN,
                _ => name == first ? 1.0 : n.Mean > 0 ? norms[first].Max / n.Mean : double.NaN,
            };
            if (!double.IsFinite(target)) continue;
            _lambda[name] = _lambda.TryGetValue(name, out var old) ? _options.Smoothing * old + (1 - _options.Smoothing) * target : target;
        }
    }
}
