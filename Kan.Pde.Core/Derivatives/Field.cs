using static TorchSharp.torch;

namespace Kan.Pde.Core.Derivatives;

/// <summary>
/// The network's output field and its derivatives at N points, for m outputs and D inputs.
/// Tensors are part of the autograd graph of the network parameters.
/// </summary>
public sealed class Field
{
    /// <summary>Wraps tensors produced by an evaluator.</summary>
    public Field(Tensor value, Tensor? gradient, Tensor? secondDiagonal)
    {
        Value = value;
        Gradient = gradient;
        SecondDiagonal = secondDiagonal;
    }

    /// <summary>u as [N, m].</summary>
    public Tensor Value { get; }

    /// <summary>∂u/∂x_d as [N, D, m] (null unless requested).</summary>
    public Tensor? Gradient { get; }

    /// <summary>∂²u/∂x_d² as [N, D, m] (null unless requested).</summary>
    public Tensor? SecondDiagonal { get; }

    /// <summary>Δu as [N, m].</summary>
    public Tensor Laplacian => (SecondDiagonal ?? throw new InvalidOperationException("second derivatives were not requested")).sum(1);

    /// <summary>Output <paramref name="k"/> as [N].</summary>
    public Tensor Component(int k) => Value.select(1, k);

    /// <summary>∂u_k/∂x_d as [N].</summary>
    public Tensor D(int k, int d) => (Gradient ?? throw new InvalidOperationException("gradients were not requested")).select(2, k).select(1, d);

    /// <summary>∂²u_k/∂x_d² as [N].</summary>
    public Tensor DD(int k, int d) => (SecondDiagonal ?? throw new InvalidOperationException("second derivatives were not requested")).select(2, k).select(1, d);
}
