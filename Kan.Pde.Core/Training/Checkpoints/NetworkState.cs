using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Splines;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training.Checkpoints;

/// <summary>The knots and edge mask of one KAN layer.</summary>
/// <param name="Order">Spline order k.</param>
/// <param name="Knots">The extended knot vectors [inputs, G+1+2k] as float64.</param>
/// <param name="Mask">The edge mask [inputs, outputs].</param>
public sealed record LayerGridState(int Order, TensorData Knots, TensorData Mask);

/// <summary>
/// Everything that makes a network compute what it computes: the trainable tensors in their fixed order, and for
/// KAN layers (found inside input scaling and stacked networks) the knot grids and edge masks, which are not
/// trained but change with grid updates and extensions. Restoring a state makes the network bit-identical to the
/// captured one, including a grid size different from the one it was built with.
/// </summary>
public sealed record NetworkState(IReadOnlyList<TensorData> Parameters, IReadOnlyList<LayerGridState> Grids)
{
    /// <summary>Captures <paramref name="network"/>.</summary>
    /// <exception cref="NotSupportedException">The network has spline grids this class cannot reach.</exception>
    public static NetworkState Capture(INetwork network)
    {
        var layers = KanLayersOf(network).ToArray();
        if (layers.Length == 0 && network is IAdaptiveGrid { GridSize: > 0 })
            throw new NotSupportedException($"cannot capture the spline grids of {network.GetType().Name}");
        // Which library function each symbolic edge uses is not tensor state; such networks only occur after training.
        if (layers.Any(l => l.SplinesFrozen || l.Symbolic.Any))
            throw new NotSupportedException("cannot capture a KAN with symbolic edges or frozen splines");
        return new NetworkState(
            network.TrainableParameters.Select(p => TensorData.From(p)).ToArray(),
            layers.Select(l => new LayerGridState(l.Grid.Order, KnotData(l.Grid), TensorData.From(l.Mask))).ToArray());
    }

    /// <summary>
    /// Makes <paramref name="network"/> (built from the same spec) equal to the captured state: grids first (which
    /// gives the coefficients their shape), then every parameter. Everything is checked before anything changes.
    /// </summary>
    public void Restore(INetwork network)
    {
        var layers = KanLayersOf(network).ToArray();
        if (layers.Length != Grids.Count)
            throw new InvalidDataException($"the saved state has {Grids.Count} KAN layers, the network {layers.Length}");
        var grids = new KnotGrid[layers.Length];
        for (int l = 0; l < layers.Length; l++)
        {
            var g = Grids[l];
            g.Knots.Validate($"layer {l} knots");
            g.Mask.Validate($"layer {l} mask");
            if (g.Knots.DType != ScalarType.Float64 || g.Knots.Shape.Length != 2 || g.Knots.Shape[0] != layers[l].Inputs)
                throw new InvalidDataException($"layer {l}: saved knots [{string.Join(", ", g.Knots.Shape)}] do not fit {layers[l].Inputs} inputs");
            if (!g.Mask.Shape.SequenceEqual(new long[] { layers[l].Inputs, layers[l].Outputs }))
                throw new InvalidDataException($"layer {l}: saved mask [{string.Join(", ", g.Mask.Shape)}] does not fit the layer");
            var flat = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(g.Knots.Bytes).ToArray();
            var knots = new double[g.Knots.Shape[0], g.Knots.Shape[1]];
            Buffer.BlockCopy(flat, 0, knots, 0, flat.Length * sizeof(double));
            grids[l] = KnotGrid.FromKnots(knots, g.Order);
        }
        var parameters = network.TrainableParameters;
        if (parameters.Count != Parameters.Count)
            throw new InvalidDataException($"the saved state has {Parameters.Count} parameter tensors, the network {parameters.Count}");
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameters[i].Validate($"parameter {i}");
            if (Parameters[i].DType != parameters[i].dtype)
                throw new InvalidDataException($"parameter {i}: saved as {Parameters[i].DType}, the network uses {parameters[i].dtype}");
        }

        for (int l = 0; l < layers.Length; l++)
        {
            layers[l].ReplaceGrid(grids[l]);
            using var mask = Grids[l].Mask.ToTensor(layers[l].Mask.device);
            using (no_grad()) layers[l].Mask.copy_(mask);
        }
        // Shapes can only be compared once the grids are in place.
        for (int i = 0; i < parameters.Count; i++)
            if (!parameters[i].shape.SequenceEqual(Parameters[i].Shape))
                throw new InvalidDataException($"parameter {i}: saved shape [{string.Join(", ", Parameters[i].Shape)}], " +
                                               $"the network has [{string.Join(", ", parameters[i].shape)}]");
        CopyInto(parameters, Parameters);
    }

    /// <summary>Copies saved values into parameters of the same shapes and types (checked by the caller).</summary>
    internal static void CopyInto(IReadOnlyList<TorchSharp.Modules.Parameter> parameters, IReadOnlyList<TensorData> values)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Count; i++)
        {
            using var value = values[i].ToTensor(parameters[i].device);
            parameters[i].copy_(value);
            parameters[i].grad = null;
        }
    }

    /// <summary>The KAN layers of a network, in parameter order, through the wrappers Core knows.</summary>
    public static IEnumerable<KanLayer> KanLayersOf(INetwork network) => network switch
    {
        ScaledInputs scaled => KanLayersOf(scaled.Inner),
        StackedNetwork stacked => stacked.Parts.SelectMany(KanLayersOf),
        KanNetwork kan => kan.Layers,
        _ => Enumerable.Empty<KanLayer>(),
    };

    private static TensorData KnotData(KnotGrid grid)
    {
        var knots = grid.ToArray();
        var bytes = new byte[knots.Length * sizeof(double)];
        Buffer.BlockCopy(knots, 0, bytes, 0, bytes.Length);
        return new TensorData(ScalarType.Float64, new long[] { knots.GetLength(0), knots.GetLength(1) }, bytes);
    }
}
