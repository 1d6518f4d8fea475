using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Interpretation;

/// <summary>One edge's activation as drawn: sorted inputs of the edge and φ at them, its importance and kind.</summary>
/// <param name="Edge">The edge.</param>
/// <param name="Inputs">Sampled inputs of the edge, ascending.</param>
/// <param name="Values">φ at those inputs.</param>
/// <param name="Importance">Mean |φ| over the samples (see <see cref="KanImportance"/>).</param>
/// <param name="Function">Name of the symbolic function the edge is fixed to, or null for a spline edge.</param>
/// <param name="Pruned">True when the edge is masked.</param>
public sealed record EdgeCurve(EdgeId Edge, double[] Inputs, double[] Values, double Importance, string? Function, bool Pruned);

/// <summary>
/// What a picture of a KAN needs (as pykan's plot shows it): the widths, node names, and every edge's activation curve
/// over the range of that edge's sampled inputs, with importance and symbolic state. Plain data for a plotting front end.
/// </summary>
/// <param name="Widths">Node counts per layer boundary.</param>
/// <param name="InputNames">Names of the input nodes.</param>
/// <param name="OutputNames">Names of the output nodes.</param>
/// <param name="Edges">All edges, layer by layer, input-major.</param>
public sealed record KanDiagram(IReadOnlyList<int> Widths, IReadOnlyList<string> InputNames, IReadOnlyList<string> OutputNames,
    IReadOnlyList<EdgeCurve> Edges)
{
    /// <summary>Samples every edge of <paramref name="network"/> at the activations produced by inputs <paramref name="x"/> [N, D].</summary>
    /// <param name="network">The KAN.</param>
    /// <param name="x">Network inputs.</param>
    /// <param name="inputNames">One name per input.</param>
    /// <param name="outputNames">One name per output.</param>
    /// <param name="maxPoints">At most this many points per curve (evenly picked from the sorted samples).</param>
    public static KanDiagram Capture(KanNetwork network, Tensor x, IReadOnlyList<string> inputNames, IReadOnlyList<string> outputNames,
        int maxPoints = 200)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (inputNames.Count != network.InputDimension || outputNames.Count != network.OutputDimension)
            throw new ArgumentException($"expected {network.InputDimension} input and {network.OutputDimension} output names");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var importance = KanImportance.Compute(network, x);
        var curves = new List<EdgeCurve>();
        var h = x.detach();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var phi = layer.EdgeValues(h);                                                       // [in, N, out]
            var inputs = ToArray(h.t().contiguous());                                            // [in, N]
            var values = ToArray(phi.permute(0, 2, 1).contiguous());                             // [in, out, N]
            var mask = ToArray(layer.Mask.contiguous());
            long n = h.shape[0];
            for (int i = 0; i < layer.Inputs; i++)
            {
                var order = Enumerable.Range(0, (int)n).OrderBy(k => inputs[i * n + k]).ToArray();
                var picked = maxPoints >= 2 && order.Length > maxPoints
                    ? Enumerable.Range(0, maxPoints).Select(p => order[(int)((long)p * (order.Length - 1) / (maxPoints - 1))]).ToArray()
                    : order;
                for (int j = 0; j < layer.Outputs; j++)
                {
                    var edge = new EdgeId(l, i, j);
                    long offset = ((long)i * layer.Outputs + j) * n;
                    curves.Add(new EdgeCurve(edge,
                        picked.Select(k => inputs[i * n + k]).ToArray(),
                        picked.Select(k => values[offset + k]).ToArray(),
                        importance.Edge(edge),
                        layer.Symbolic.FunctionOf(i, j)?.Name,
                        mask[i * layer.Outputs + j] == 0));
                }
            }
            h = phi.sum(dim: 0);
        }
        return new KanDiagram(network.Widths.ToArray(), inputNames.ToArray(), outputNames.ToArray(), curves);
    }

    private static double[] ToArray(Tensor t) => t.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
}
