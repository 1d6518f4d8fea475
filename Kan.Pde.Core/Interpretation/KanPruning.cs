using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Interpretation;

/// <summary>A node of a KAN: <paramref name="Boundary"/> 0 holds the inputs, the last one the outputs.</summary>
public readonly record struct NodeId(int Boundary, int Index)
{
    /// <inheritdoc />
    public override string ToString() => $"({Boundary},{Index})";
}

/// <summary>What a pruning pass removed.</summary>
/// <param name="Nodes">Hidden nodes whose edges were all masked.</param>
/// <param name="Edges">Every edge masked by this pass (those of pruned nodes included).</param>
public sealed record PruningResult(IReadOnlyList<NodeId> Nodes, IReadOnlyList<EdgeId> Edges);

/// <summary>
/// Pruning by masks (paper §2.5.1): a hidden node whose incoming or outgoing score is below the node threshold loses all
/// its edges, and any remaining edge whose score is below the edge threshold is masked. Scores come from
/// <see cref="KanImportance"/> on samples, computed once before anything is masked. The network keeps its shape;
/// masked edges contribute nothing (spline and symbolic alike) and get no gradient.
/// </summary>
public static class KanPruning
{
    /// <summary>Masks unimportant hidden nodes and edges of <paramref name="network"/> at samples <paramref name="x"/>.</summary>
    /// <param name="network">The network; its masks are changed in place.</param>
    /// <param name="x">Network inputs [N, D] on which importance is measured.</param>
    /// <param name="nodeThreshold">Hidden nodes with a score below this are removed (the paper uses 1e-2).</param>
    /// <param name="edgeThreshold">Edges with a score below this are removed; 0 keeps every edge of kept nodes.</param>
    public static PruningResult Prune(KanNetwork network, Tensor x, double nodeThreshold = 1e-2, double edgeThreshold = 0)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(nodeThreshold >= 0) || !(edgeThreshold >= 0)) throw new ArgumentOutOfRangeException(nameof(nodeThreshold), "thresholds must be non-negative");
        var importance = KanImportance.Compute(network, x);
        var layers = network.Layers;
        var prunedNodes = new List<NodeId>();
        var removed = new HashSet<EdgeId>();
        for (int boundary = 1; boundary < layers.Count; boundary++)
            for (int n = 0; n < network.Widths[boundary]; n++)
            {
                if (!(importance.Incoming(boundary, n) < nodeThreshold || importance.Outgoing(boundary, n) < nodeThreshold)) continue;
                prunedNodes.Add(new NodeId(boundary, n));
                for (int i = 0; i < layers[boundary - 1].Inputs; i++) removed.Add(new EdgeId(boundary - 1, i, n));
                for (int j = 0; j < layers[boundary].Outputs; j++) removed.Add(new EdgeId(boundary, n, j));
            }
        for (int l = 0; l < layers.Count; l++)
            for (int i = 0; i < layers[l].Inputs; i++)
                for (int j = 0; j < layers[l].Outputs; j++)
                    if (importance.Edge(new EdgeId(l, i, j)) < edgeThreshold) removed.Add(new EdgeId(l, i, j));

        var newlyMasked = new List<EdgeId>();
        using (no_grad())
        {
            foreach (var edge in removed.OrderBy(e => (e.Layer, e.Input, e.Output)))
            {
                var mask = layers[edge.Layer].Mask;
                if (mask[edge.Input, edge.Output].ToDouble() == 0) continue;
                mask[edge.Input, edge.Output] = 0;
                newlyMasked.Add(edge);
            }
        }
        return new PruningResult(prunedNodes, newlyMasked);
    }
}
