using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// A truncated Taylor jet of a layer's activations with respect to the network inputs x ∈ R^D:
/// values [N, w], first derivatives ∂h/∂x_d as [N, D, w], and the pure second derivatives ∂²h/∂x_d²
/// as [N, D, w] (the diagonal of the Hessian, enough for Laplacians). Pushing a jet through the layers
/// (forward mode) gives a problem its derivatives without nested reverse passes.
/// </summary>
public sealed class Jet
{
    /// <summary>Creates a jet; pass null for orders not carried.</summary>
    public Jet(Tensor value, Tensor? gradient, Tensor? second, bool isInput = false)
    {
        Value = value;
        Gradient = gradient;
        Second = second;
        IsInput = isInput;
    }

    /// <summary>Activations [N, w].</summary>
    public Tensor Value { get; }

    /// <summary>∂h/∂x_d as [N, D, w], or null when order 0.</summary>
    public Tensor? Gradient { get; }

    /// <summary>∂²h/∂x_d² as [N, D, w], or null when order &lt; 2.</summary>
    public Tensor? Second { get; }

    /// <summary>
    /// True for the jet of the inputs themselves (gradient = identity, second = 0). Layers use it to
    /// skip the identity products; the tensors are then null.
    /// </summary>
    public bool IsInput { get; }

    /// <summary>Derivative order carried: 0, 1 or 2.</summary>
    public int Order { get; init; }

    /// <summary>The jet of the input points x [N, D] to order 0, 1 or 2.</summary>
    public static Jet Input(Tensor points, int order) => new(points, null, null, isInput: true) { Order = order };
}
