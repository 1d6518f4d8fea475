using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Problems;

/// <summary>A "network" that is a given expression: value, gradient and pure second derivatives symbolically.</summary>
public sealed class ExpressionField : IFieldEvaluator
{
    private readonly Expr _u;

    public ExpressionField(Expr u) => _u = u;

    public string Mode => "expression";

    public Field Evaluate(Tensor points, FieldNeeds needs)
    {
        int D = _u.Variables.Count;
        var value = _u.Evaluate(points).unsqueeze(1);
        var gradient = stack(Enumerable.Range(0, D).Select(d => _u.Derivative(d).Evaluate(points)).ToArray(), 1).unsqueeze(2);
        var second = stack(Enumerable.Range(0, D).Select(d => _u.Derivative(d).Derivative(d).Evaluate(points)).ToArray(), 1).unsqueeze(2);
        return new Field(value, gradient, second);
    }
}
