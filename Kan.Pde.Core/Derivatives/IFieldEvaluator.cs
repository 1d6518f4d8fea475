using static TorchSharp.torch;

namespace Kan.Pde.Core.Derivatives;

/// <summary>
/// How derivatives of the network are computed is the evaluator's business, not the problem's:
/// a problem asks for what it needs at some points and gets a <see cref="Field"/>.
/// </summary>
public interface IFieldEvaluator
{
    /// <summary>Name for reports ("forward", "reverse").</summary>
    string Mode { get; }

    /// <summary>The field at points [N, D] with at least the requested derivatives.</summary>
    Field Evaluate(Tensor points, FieldNeeds needs);
}
