using System.Globalization;
using System.Text;

namespace Kan.Pde.Core.Expressions;

/// <summary>
/// Writes an expression as LaTeX math: \frac for quotients, ^{} for powers, \sin\left(…\right) and friends, e^{…} for
/// exp, \sqrt{…}, |…| for abs, \pi for pi, and juxtaposition for products (\cdot between two numbers).
/// </summary>
internal static class LatexWriter
{
    public static string Write(Expr e)
    {
        var sb = new StringBuilder();
        Write(sb, e);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, Expr e)
    {
        switch (e)
        {
            case Constant c:
                sb.Append(Number(c));
                break;
            case Variable v:
                string name = v.Variables[v.Index];
                sb.Append(name.Length == 1 ? name : $"\\mathrm{{{name.Replace("_", "\\_")}}}");
                break;
            case Negation n:
                sb.Append('-');
                Operand(sb, n.Operand, Precedence.Unary);
                break;
            case FunctionCall call:
                Function(sb, call);
                break;
            case BinaryOperation b:
                Binary(sb, b);
                break;
        }
    }

    private static void Binary(StringBuilder sb, BinaryOperation b)
    {
        switch (b.Operator)
        {
            case BinaryOperator.Add or BinaryOperator.Subtract:
                Operand(sb, b.Left, Precedence.Sum);
                sb.Append(b.Operator == BinaryOperator.Add ? " + " : " - ");
                Operand(sb, b.Right, Precedence.Sum + 1);
                break;
            case BinaryOperator.Multiply:
            {
                var left = new StringBuilder();
                Operand(left, b.Left, Precedence.Product);
                var right = new StringBuilder();
                Operand(right, b.Right, Precedence.Product + 1);
                sb.Append(left);
                // Juxtaposition reads as a product unless two numbers would run together.
                bool digitNext = right.Length > 0 && (char.IsDigit(right[0]) || right[0] == '.' || right[0] == '-');
                sb.Append(digitNext ? " \\cdot " : " ");
                sb.Append(right);
                break;
            }
            case BinaryOperator.Divide:
                sb.Append("\\frac{");
                Write(sb, b.Left);
                sb.Append("}{");
                Write(sb, b.Right);
                sb.Append('}');
                break;
            default:
                Operand(sb, b.Left, Precedence.Atom);
                sb.Append("^{");
                Write(sb, b.Right);
                sb.Append('}');
                break;
        }
    }

    private static void Function(StringBuilder sb, FunctionCall call)
    {
        switch (call.Function)
        {
            case MathFunction.Exp:
                sb.Append("e^{");
                Write(sb, call.Argument);
                sb.Append('}');
                return;
            case MathFunction.Sqrt:
                sb.Append("\\sqrt{");
                Write(sb, call.Argument);
                sb.Append('}');
                return;
            case MathFunction.Abs:
                sb.Append("\\left|");
                Write(sb, call.Argument);
                sb.Append("\\right|");
                return;
        }
        sb.Append(call.Function switch
        {
            MathFunction.Sin => "\\sin",
            MathFunction.Cos => "\\cos",
            MathFunction.Tan => "\\tan",
            MathFunction.Log => "\\log",
            MathFunction.Tanh => "\\tanh",
            MathFunction.Sinh => "\\sinh",
            MathFunction.Cosh => "\\cosh",
            MathFunction.Atan => "\\arctan",
            _ => "\\operatorname{sign}",
        });
        sb.Append("\\left(");
        Write(sb, call.Argument);
        sb.Append("\\right)");
    }

    /// <summary>Writes a child, in \left( \right) when it binds weaker than <paramref name="minimum"/>.</summary>
    private static void Operand(StringBuilder sb, Expr child, int minimum)
    {
        // Quotients and powers are visually grouped already (\frac, superscripts).
        bool grouped = child is BinaryOperation { Operator: BinaryOperator.Divide };
        bool parens = !grouped && child.Precedence < minimum;
        if (parens) sb.Append("\\left(");
        Write(sb, child);
        if (parens) sb.Append("\\right)");
    }

    private static string Number(Constant c)
    {
        if (c.Symbol is { } symbol) return symbol.Replace("pi", "\\pi");
        string text = c.Value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOfAny(new[] { 'E', 'e' });
        if (e < 0) return text;
        return $"{text[..e]} \\cdot 10^{{{int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture)}}}";
    }
}
