using System.Text;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Expressions;

/// <summary>The variable <c>Variables[Index]</c>; column <see cref="Index"/> of the points tensor.</summary>
internal sealed class Variable : Expr
{
    public Variable(int index, IReadOnlyList<string> variables) : base(variables, 1)
    {
        Index = index;
    }

    public int Index { get; }

    public override bool IsConstant => false;

    internal override double Eval(IReadOnlyList<double> values) => values[Index];

    internal override Tensor EvalTensor(Tensor points) => points.select(1, Index);

    internal override Expr Differentiate(int variableIndex) =>
        new Constant(variableIndex == Index ? 1 : 0, Variables);

    internal override int Precedence => Expressions.Precedence.Atom;

    internal override void Write(StringBuilder sb) => sb.Append(Variables[Index]);
}
