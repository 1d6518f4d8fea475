namespace Kan.Pde.Core.Training;

/// <summary>
/// Multipliers of the loss terms by name (terms not listed weigh 1): the training loss is
/// Σ_t weight(t) · mean square(t).
/// </summary>
public sealed class LossWeights
{
    private readonly Dictionary<string, double> _weights;

    /// <summary>Weights by term name.</summary>
    public LossWeights(IReadOnlyDictionary<string, double>? weights = null)
    {
        _weights = weights is null ? new() : new Dictionary<string, double>(weights);
        foreach (var (name, w) in _weights)
            if (!(w >= 0) || double.IsInfinity(w)) throw new ArgumentException($"loss weight of '{name}' must be finite and >= 0, got {w}");
    }

    /// <summary>Every term weighs 1.</summary>
    public static LossWeights Uniform { get; } = new();

    /// <summary>The weight of <paramref name="term"/>.</summary>
    public double this[string term] => _weights.TryGetValue(term, out var w) ? w : 1.0;

    /// <summary>The explicitly given weights.</summary>
    public IReadOnlyDictionary<string, double> Explicit => _weights;
}
