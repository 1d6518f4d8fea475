using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// A closure-driven optimizer over a fixed list of parameters.
/// </summary>
/// <remarks>
/// The closure must zero the gradients, compute the loss, call <c>backward()</c> on it and return the scalar
/// loss tensor. Optimizers call it inside their own dispose scopes, so tensors the closure creates are freed
/// when the optimizer is done with them; a closure that wants to keep a tensor must detach it from the scope.
/// </remarks>
public interface IOptimizer : IDisposable
{
    /// <summary>One optimizer step; returns the loss evaluated at the start of the step.</summary>
    double Step(Func<Tensor> closure);

    /// <summary>Total number of closure calls since construction.</summary>
    int Evaluations { get; }
}
