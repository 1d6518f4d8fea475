namespace Kan.Pde.Core.Symbolic;

/// <summary>An edge of a KAN: layer index, input node, output node.</summary>
/// <param name="Layer">0 for the layer that reads the network inputs.</param>
/// <param name="Input">Input node of that layer.</param>
/// <param name="Output">Output node of that layer.</param>
public readonly record struct EdgeId(int Layer, int Input, int Output)
{
    /// <inheritdoc />
    public override string ToString() => $"({Layer},{Input},{Output})";
}

/// <summary>The best symbolic fit found for an edge and whether the edge was fixed to it.</summary>
/// <param name="Edge">The edge.</param>
/// <param name="Fit">The fit of the edge's activation over the sampled inputs.</param>
/// <param name="Fixed">True when the edge was fixed to <paramref name="Fit"/>.</param>
public sealed record EdgeSnap(EdgeId Edge, SymbolicFit Fit, bool Fixed);
