using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Expressions;

/// <summary>
/// Immutable syntax tree of a scalar expression in a fixed, ordered list of variables
/// (for example x, y, z, t). Obtained from <see cref="ExpressionParser.Parse"/> and from
/// <see cref="Derivative(int)"/>; can be evaluated at one point (doubles) or at many points at once
/// (a TorchSharp tensor, differentiable by autograd).
/// </summary>
/// <remarks>
/// Every tree is built through simplifying constructors (constant folding, 0*a = 0, 1*a = a, a+0 = a,
/// a^1 = a, double negation, ...), so symbolic derivatives stay small enough to read and cheap to evaluate.
/// </remarks>
public abstract partial class Expr
{
    /// <summary>Trees deeper than this are refused by the parser: evaluation and differentiation recurse.</summary>
    internal const int MaxTreeDepth = 500;

    private protected Expr(IReadOnlyList<string> variables, int depth)
    {
        Variables = variables;
        Depth = depth;
    }

    /// <summary>The variable names, in the order in which <see cref="Evaluate(IReadOnlyList{double})"/> expects values.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>True when the expression does not depend on any variable.</summary>
    public abstract bool IsConstant { get; }

    /// <summary>Height of the tree (a leaf has depth 1).</summary>
    internal int Depth { get; }

    /// <summary>Evaluates at one point; <paramref name="values"/>[i] is the value of <c>Variables[i]</c>.</summary>
    public double Evaluate(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Variables.Count)
            throw new ArgumentException(
                $"expected {Variables.Count} value(s) for ({string.Join(", ", Variables)}), got {values.Count}", nameof(values));
        return Eval(values);
    }

    /// <summary>
    /// Evaluates at one point given as an array, e.g. <c>u.Evaluate(0.3, 0.7)</c>. This overload exists because
    /// TorchSharp converts double[] to Tensor implicitly, which would make <c>Evaluate(new[] { x, y })</c> ambiguous.
    /// </summary>
    public double Evaluate(params double[] values) => Evaluate((IReadOnlyList<double>)values);

    /// <summary>
    /// Evaluates at N points. <paramref name="points"/> is [N, D] with column d holding <c>Variables[d]</c>;
    /// the result is [N] with the dtype and device of <paramref name="points"/> (a constant is broadcast).
    /// Operations are ordinary tensor operations, so autograd can differentiate through them.
    /// </summary>
    public Tensor Evaluate(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        // Shapes are checked here because some native TorchSharp entry points abort the process on a mismatch.
        if (points.dim() != 2 || points.shape[1] != Variables.Count)
            throw new ArgumentException(
                $"expected points of shape [N, {Variables.Count}] for ({string.Join(", ", Variables)}), got [{string.Join(", ", points.shape)}]",
                nameof(points));
        if (!points.is_floating_point())
            throw new ArgumentException($"expected floating-point points, got {points.dtype}", nameof(points));

        long n = points.shape[0];
        if (IsConstant)
            return torch.full(new[] { n }, Eval(Array.Empty<double>()), dtype: points.dtype, device: points.device);

        using var scope = torch.NewDisposeScope();
        var result = EvalTensor(points);
        // A bare variable is a view into the caller's points; hand out an independent tensor instead.
        if (this is Variable) result = result.clone();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Symbolic partial derivative with respect to <c>Variables[variableIndex]</c>, simplified.</summary>
    public Expr Derivative(int variableIndex)
    {
        if (variableIndex < 0 || variableIndex >= Variables.Count)
            throw new ArgumentOutOfRangeException(nameof(variableIndex),
                $"variable index {variableIndex} is outside 0..{Variables.Count - 1} ({string.Join(", ", Variables)})");
        return Differentiate(variableIndex);
    }

    /// <summary>Symbolic partial derivative with respect to the variable called <paramref name="variable"/>.</summary>
    public Expr Derivative(string variable)
    {
        for (int i = 0; i < Variables.Count; i++)
            if (Variables[i] == variable) return Differentiate(i);
        throw new ArgumentException($"unknown variable '{variable}' (allowed: {string.Join(", ", Variables)})", nameof(variable));
    }

    /// <summary>Text that <see cref="ExpressionParser.Parse"/> reads back into an equal expression.</summary>
    public sealed override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    /// <summary>A constant expression over the given variables (for combining expressions in code).</summary>
    public static Expr Constant(double value, IReadOnlyList<string> variables)
    {
        if (!double.IsFinite(value)) throw new ArgumentException("constants must be finite", nameof(value));
        return new Constant(value, ExpressionParser.CheckedVariables(variables));
    }

    /// <summary>Sum, simplified. Both sides must use the same variable list.</summary>
    public static Expr operator +(Expr a, Expr b) => Algebra.Add(a, Same(a, b));

    /// <summary>Difference, simplified. Both sides must use the same variable list.</summary>
    public static Expr operator -(Expr a, Expr b) => Algebra.Sub(a, Same(a, b));

    /// <summary>Product, simplified. Both sides must use the same variable list.</summary>
    public static Expr operator *(Expr a, Expr b) => Algebra.Mul(a, Same(a, b));

    /// <summary>Quotient, simplified. Both sides must use the same variable list.</summary>
    public static Expr operator /(Expr a, Expr b) => Algebra.Div(a, Same(a, b));

    /// <summary>Negation, simplified.</summary>
    public static Expr operator -(Expr a) => Algebra.Neg(a ?? throw new ArgumentNullException(nameof(a)));

    private static Expr Same(Expr a, Expr b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!ReferenceEquals(a.Variables, b.Variables) && !a.Variables.SequenceEqual(b.Variables))
            throw new ArgumentException(
                $"cannot combine expressions over ({string.Join(", ", a.Variables)}) and ({string.Join(", ", b.Variables)})");
        return b;
    }

    internal abstract double Eval(IReadOnlyList<double> values);

    /// <summary>Returns [N] for non-constant nodes and a 0-dim tensor for constants (broadcast by the caller).</summary>
    internal abstract Tensor EvalTensor(Tensor points);

    internal abstract Expr Differentiate(int variableIndex);

    /// <summary>Binding strength used to decide parentheses when printing (see <see cref="Precedence"/>).</summary>
    internal abstract int Precedence { get; }

    internal abstract void Write(StringBuilder sb);

    /// <summary>Writes <paramref name="child"/>, in parentheses when it binds weaker than <paramref name="minimum"/>.</summary>
    internal static void WriteOperand(StringBuilder sb, Expr child, int minimum)
    {
        bool parens = child.Precedence < minimum;
        if (parens) sb.Append('(');
        child.Write(sb);
        if (parens) sb.Append(')');
    }
}

/// <summary>Printing precedences, weakest first; they mirror the grammar levels of the parser.</summary>
internal static class Precedence
{
    public const int Sum = 1;      // a + b, a - b
    public const int Product = 2;  // a * b, a / b
    public const int Unary = 3;    // -a (also negative literals)
    public const int Power = 4;    // a ^ b
    public const int Atom = 5;     // numbers, names, f(a), (a)
}
