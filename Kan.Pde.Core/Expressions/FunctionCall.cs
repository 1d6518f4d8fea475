using System.Text;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Expressions;

/// <summary>An elementary function applied to one argument, e.g. sin(pi*x).</summary>
internal sealed class FunctionCall : Expr
{
    public FunctionCall(MathFunction function, Expr argument) : base(argument.Variables, argument.Depth + 1)
    {
        Function = function;
        Argument = argument;
    }

    public MathFunction Function { get; }

    public Expr Argument { get; }

    public override bool IsConstant => Argument.IsConstant;

    internal override double Eval(IReadOnlyList<double> values) => MathFunctions.Apply(Function, Argument.Eval(values));

    internal override Tensor EvalTensor(Tensor points) => MathFunctions.Apply(Function, Argument.EvalTensor(points));

    internal override Expr Differentiate(int variableIndex) =>
        Algebra.Mul(MathFunctions.OuterDerivative(Function, Argument), Argument.Differentiate(variableIndex));

    internal override int Precedence => Expressions.Precedence.Atom;

    internal override void Write(StringBuilder sb)
    {
        sb.Append(MathFunctions.Name(Function)).Append('(');
        Argument.Write(sb);
        sb.Append(')');
    }
}
