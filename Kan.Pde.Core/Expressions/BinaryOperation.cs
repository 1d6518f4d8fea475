using System.Text;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Expressions;

/// <summary>The five binary operators of the expression language.</summary>
internal enum BinaryOperator { Add, Subtract, Multiply, Divide, Power }

/// <summary>a + b, a - b, a * b, a / b or a ^ b.</summary>
internal sealed class BinaryOperation : Expr
{
    public BinaryOperation(BinaryOperator op, Expr left, Expr right)
        : base(left.Variables, Math.Max(left.Depth, right.Depth) + 1)
    {
        Operator = op;
        Left = left;
        Right = right;
    }

    public BinaryOperator Operator { get; }

    public Expr Left { get; }

    public Expr Right { get; }

    public override bool IsConstant => Left.IsConstant && Right.IsConstant;

    internal override double Eval(IReadOnlyList<double> values)
    {
        double a = Left.Eval(values), b = Right.Eval(values);
        return Operator switch
        {
            BinaryOperator.Add => a + b,
            BinaryOperator.Subtract => a - b,
            BinaryOperator.Multiply => a * b,
            BinaryOperator.Divide => a / b,
            _ => Math.Pow(a, b),
        };
    }

    internal override Tensor EvalTensor(Tensor points)
    {
        var a = Left.EvalTensor(points);
        var b = Right.EvalTensor(points);
        return Operator switch
        {
            BinaryOperator.Add => a + b,
            BinaryOperator.Subtract => a - b,
            BinaryOperator.Multiply => a * b,
            BinaryOperator.Divide => a / b,
            _ => a.pow(b),
        };
    }

    internal override Expr Differentiate(int i)
    {
        Expr a = Left, b = Right;
        Expr da = a.Differentiate(i), db = b.Differentiate(i);
        switch (Operator)
        {
            case BinaryOperator.Add: return Algebra.Add(da, db);
            case BinaryOperator.Subtract: return Algebra.Sub(da, db);
            case BinaryOperator.Multiply: return Algebra.Add(Algebra.Mul(da, b), Algebra.Mul(a, db));
            case BinaryOperator.Divide:
                // Quotient rule, written so that a constant denominator gives just da/b.
                return Algebra.Sub(Algebra.Div(da, b), Algebra.Div(Algebra.Mul(a, db), Algebra.Pow(b, Num(2))));
            default:
                if (b is Constant n) // power rule: d(a^n) = n a^(n-1) da
                    return Algebra.Mul(Algebra.Mul(n, Algebra.Pow(a, Num(n.Value - 1))), da);
                if (a.IsConstant) // exponential: d(c^b) = c^b log(c) db
                    return Algebra.Mul(Algebra.Mul(this, Algebra.Call(MathFunction.Log, a)), db);
                // General case a^b = exp(b log a): d = a^b (db log a + b da / a).
                return Algebra.Mul(this,
                    Algebra.Add(Algebra.Mul(db, Algebra.Call(MathFunction.Log, a)), Algebra.Div(Algebra.Mul(b, da), a)));
        }
    }

    private Constant Num(double v) => new(v, Variables);

    internal override int Precedence => Operator switch
    {
        BinaryOperator.Add or BinaryOperator.Subtract => Expressions.Precedence.Sum,
        BinaryOperator.Multiply or BinaryOperator.Divide => Expressions.Precedence.Product,
        _ => Expressions.Precedence.Power,
    };

    internal override void Write(StringBuilder sb)
    {
        int p = Precedence;
        switch (Operator)
        {
            case BinaryOperator.Power:
                // Right-associative: the base needs parentheses for another power or a negation,
                // the exponent accepts anything from unary minus upwards (x^-2, x^y^z).
                WriteOperand(sb, Left, p + 1);
                sb.Append('^');
                WriteOperand(sb, Right, Expressions.Precedence.Unary);
                break;
            default:
                // Left-associative: the right operand needs parentheses at equal precedence (a - (b - c)).
                WriteOperand(sb, Left, p);
                sb.Append(Operator switch
                {
                    BinaryOperator.Add => " + ",
                    BinaryOperator.Subtract => " - ",
                    BinaryOperator.Multiply => "*",
                    _ => "/",
                });
                WriteOperand(sb, Right, p + 1);
                break;
        }
    }
}
