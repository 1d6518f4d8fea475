using Kan.Pde.Core.Adaptive;

namespace Kan.Pde.Runner.Spec;

/// <summary>Loss-term weights by term name (terms not listed weigh 1), and optional automatic balancing on top.</summary>
public sealed record LossSpec(IReadOnlyDictionary<string, double> Weights)
{
    /// <summary>The weight of <paramref name="term"/>.</summary>
    public double WeightOf(string term) => Weights.TryGetValue(term, out var w) ? w : 1.0;

    /// <summary>Automatic term balancing, or null.</summary>
    public TermBalancing? Balancing { get; init; }
}
