using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// Every KAN layer inside a network (through input scaling, stacking and output transforms) with the inputs
/// it sees at given points, in the order the network's trainable parameters list them.
/// </summary>
public static class KanLayerInputs
{
    /// <summary>The layers of <paramref name="network"/> and their inputs [N, in] at points x [N, D] (no gradients).</summary>
    public static IReadOnlyList<(KanLayer Layer, Tensor Inputs)> Of(INetwork network, Tensor x)
    {
        using var noGrad = no_grad();
        var result = new List<(KanLayer, Tensor)>();
        Collect(network, x.detach(), result);
        return result;
    }

    private static void Collect(INetwork network, Tensor x, List<(KanLayer, Tensor)> result)
    {
        switch (network)
        {
            case ScaledInputs scaled:
                Collect(scaled.Inner, scaled.Scale(x), result);
                break;
            case StackedNetwork stacked:
                foreach (var part in stacked.Parts) Collect(part, x, result);
                break;
            case IWrappedNetwork wrapper:
                Collect(wrapper.Inner, x, result);
                break;
            case KanNetwork kan:
                var h = x;
                foreach (var layer in kan.Layers)
                {
                    result.Add((layer, h));
                    h = layer.forward(h);
                }
                break;
        }
    }
}

/// <summary>A network that transforms another's outputs without changing its inputs (e.g. a hard boundary constraint).</summary>
public interface IWrappedNetwork
{
    /// <summary>The wrapped network.</summary>
    INetwork Inner { get; }
}
