using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// A trainable map R^D → R^m (KAN or MLP). Besides the plain forward pass it pushes Taylor jets
/// (values, input gradients, pure second derivatives) through its layers, so derivatives for PDE
/// residuals come in one forward pass.
/// </summary>
public interface INetwork : IDisposable
{
    /// <summary>D, the number of inputs.</summary>
    int InputDimension { get; }

    /// <summary>m, the number of outputs.</summary>
    int OutputDimension { get; }

    /// <summary>Trainable scalars (masks and knots excluded).</summary>
    long ParameterCount { get; }

    /// <summary>The trainable tensors, in a fixed order.</summary>
    IReadOnlyList<Parameter> TrainableParameters { get; }

    /// <summary>Outputs [N, m] at points [N, D].</summary>
    Tensor Forward(Tensor points);

    /// <summary>Forward mode: the jet of the outputs given the jet of the inputs.</summary>
    Jet Propagate(Jet input);

    /// <summary>Human-readable architecture, e.g. "KAN [2,10,1] G=5 k=3".</summary>
    string Description { get; }
}
