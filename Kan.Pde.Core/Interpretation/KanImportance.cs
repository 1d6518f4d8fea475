using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Interpretation;

/// <summary>
/// How much each edge and node of a KAN matters on a set of samples (paper §2.5.1): the score of edge i→j of layer l
/// is the mean |φ_lij| over the samples; a node's incoming score is the largest score of its incoming edges, its
/// outgoing score the largest of its outgoing edges. Input nodes have no incoming and output nodes no outgoing score.
/// </summary>
public sealed class KanImportance
{
    private KanImportance(int[] widths, double[][,] edges)
    {
        Widths = widths;
        _edges = edges;
    }

    private readonly double[][,] _edges;

    /// <summary>Node counts per layer boundary (the network's widths).</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>Number of layers.</summary>
    public int Layers => _edges.Length;

    /// <summary>Mean |φ| of edge <paramref name="edge"/> over the samples (0 for a pruned edge).</summary>
    public double Edge(EdgeId edge) => _edges[edge.Layer][edge.Input, edge.Output];

    /// <summary>Largest score among the incoming edges of node <paramref name="node"/> at boundary <paramref name="boundary"/> (≥ 1).</summary>
    public double Incoming(int boundary, int node)
    {
        if (boundary < 1 || boundary >= Widths.Count) throw new ArgumentOutOfRangeException(nameof(boundary), "input nodes have no incoming edges");
        var e = _edges[boundary - 1];
        double best = 0;
        for (int i = 0; i < e.GetLength(0); i++) best = Math.Max(best, e[i, node]);
        return best;
    }

    /// <summary>Largest score among the outgoing edges of node <paramref name="node"/> at boundary <paramref name="boundary"/> (≤ layers − 1).</summary>
    public double Outgoing(int boundary, int node)
    {
        if (boundary < 0 || boundary >= Layers) throw new ArgumentOutOfRangeException(nameof(boundary), "output nodes have no outgoing edges");
        var e = _edges[boundary];
        double best = 0;
        for (int j = 0; j < e.GetLength(1); j++) best = Math.Max(best, e[node, j]);
        return best;
    }

    /// <summary>A node's score: the smaller of its incoming and outgoing scores (the one it has, for input and output nodes).</summary>
    public double Node(int boundary, int node) =>
        boundary == 0 ? Outgoing(0, node) : boundary == Layers ? Incoming(boundary, node) : Math.Min(Incoming(boundary, node), Outgoing(boundary, node));

    /// <summary>Largest edge score of layer <paramref name="layer"/> (for normalising plots).</summary>
    public double LayerMax(int layer)
    {
        double best = 0;
        foreach (double v in _edges[layer]) best = Math.Max(best, v);
        return best;
    }

    /// <summary>Scores of every edge and node of <paramref name="network"/> over the samples <paramref name="x"/> [N, D].</summary>
    public static KanImportance Compute(KanNetwork network, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var edges = new double[network.Layers.Count][,];
        var h = x.detach();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var phi = layer.EdgeValues(h);                                  // [in, N, out]
            var scores = phi.abs().mean(new long[] { 1 }).to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
            edges[l] = new double[layer.Inputs, layer.Outputs];
            for (int i = 0; i < layer.Inputs; i++)
                for (int j = 0; j < layer.Outputs; j++) edges[l][i, j] = scores[i * layer.Outputs + j];
            h = phi.sum(dim: 0);
        }
        return new KanImportance(network.Widths.ToArray(), edges);
    }
}
