using System.Text;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Expressions;

/// <summary>Unary minus, -a. Binds weaker than ^, so -x^2 means -(x^2).</summary>
internal sealed class Negation : Expr
{
    public Negation(Expr operand) : base(operand.Variables, operand.Depth + 1)
    {
        Operand = operand;
    }

    public Expr Operand { get; }

    public override bool IsConstant => Operand.IsConstant;

    internal override double Eval(IReadOnlyList<double> values) => -Operand.Eval(values);

    internal override Tensor EvalTensor(Tensor points) => Operand.EvalTensor(points).neg();

    internal override Expr Differentiate(int variableIndex) => Algebra.Neg(Operand.Differentiate(variableIndex));

    internal override int Precedence => Expressions.Precedence.Unary;

    internal override void Write(StringBuilder sb)
    {
        sb.Append('-');
        WriteOperand(sb, Operand, Expressions.Precedence.Unary);
    }
}
