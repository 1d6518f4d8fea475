namespace Kan.Pde.Core.Expressions;

/// <summary>
/// Simplifying constructors. Both the parser and symbolic differentiation build every node through
/// here, which keeps derivatives short: without it d²/dx² of sin(pi*x)*sin(pi*y) drags along dozens
/// of 0*... and 1*... terms that cost a tensor operation each at every collocation point.
/// </summary>
/// <remarks>
/// Only rewrites that are exact for finite operands are applied (no reassociation of non-constant
/// terms, no cancellation of a/a). A constant is folded only when the result is finite, so "1/0"
/// stays as written and still prints and re-parses.
/// </remarks>
internal static class Algebra
{
    // Identity rules come before constant folding so that pi*1 stays "pi" rather than 3.141592653589793.

    public static Expr Add(Expr a, Expr b)
    {
        if (IsZero(a)) return b;
        if (IsZero(b)) return a;
        if (Fold(a, b, (x, y) => x + y) is { } c) return c;
        if (b is Negation nb) return Sub(a, nb.Operand);
        if (HasNegativeFactor(b)) return Sub(a, Neg(b));
        if (a is Negation na) return Sub(b, na.Operand);
        if (HasNegativeFactor(a) && !HasNegativeFactor(b)) return Sub(b, Neg(a));
        return new BinaryOperation(BinaryOperator.Add, a, b);
    }

    public static Expr Sub(Expr a, Expr b)
    {
        if (IsZero(b)) return a;
        if (IsZero(a)) return Neg(b);
        if (Fold(a, b, (x, y) => x - y) is { } c) return c;
        if (b is Negation nb) return Add(a, nb.Operand);
        if (HasNegativeFactor(b)) return Add(a, Neg(b));
        return new BinaryOperation(BinaryOperator.Subtract, a, b);
    }

    public static Expr Mul(Expr a, Expr b)
    {
        if (IsZero(a) || IsZero(b)) return Zero(a);
        if (IsOne(a)) return b;
        if (IsOne(b)) return a;
        if (a is Constant { Value: -1 }) return Neg(b);
        if (b is Constant { Value: -1 }) return Neg(a);
        if (Fold(a, b, (x, y) => x * y) is { } c) return c;
        // Pull signs out so that they can meet a constant factor or cancel: (-a)*b = -(a*b).
        if (a is Negation na) return Neg(Mul(na.Operand, b));
        if (b is Negation nb) return Neg(Mul(a, nb.Operand));
        // Constants go first, where neighbouring constant factors can be folded: c1*(c2*x) = (c1*c2)*x.
        if (b is Constant && a is not Constant) return Mul(b, a);
        // c1*(c2*r) = (c1*c2)*r, also when c2 leads a longer product or a quotient: c1*(c2/r) = (c1*c2)/r.
        if (a is Constant ca && ScaleLeading(ca, b) is { } scaled) return scaled;
        // a*(c*r) = (c*a)*r keeps the constant in front where it can meet others (reassociation: ~1 ulp).
        if (a is not Constant && b is BinaryOperation { Operator: BinaryOperator.Multiply, Left: Constant c2 } rest)
            return Mul(Mul(c2, a), rest.Right);
        // (1/d)*b = b/d: derivatives of log, tan, atan produce 1/(...) factors.
        if (a is BinaryOperation { Operator: BinaryOperator.Divide, Left: Constant { Value: 1 } } ra) return Div(b, ra.Right);
        if (b is BinaryOperation { Operator: BinaryOperator.Divide, Left: Constant { Value: 1 } } rb) return Div(a, rb.Right);
        return new BinaryOperation(BinaryOperator.Multiply, a, b);
    }

    public static Expr Div(Expr a, Expr b)
    {
        if (IsZero(a)) return Zero(a);
        if (IsOne(b)) return a;
        if (b is Constant { Value: -1 }) return Neg(a);
        if (Fold(a, b, (x, y) => x / y) is { } c) return c;
        if (a is Negation na) return Neg(Div(na.Operand, b));
        if (b is Negation nb) return Neg(Div(a, nb.Operand));
        return new BinaryOperation(BinaryOperator.Divide, a, b);
    }

    public static Expr Pow(Expr a, Expr b)
    {
        if (IsZero(b)) return new Constant(1, a.Variables);
        if (IsOne(b)) return a;
        if (IsOne(a)) return a;
        if (Fold(a, b, Math.Pow) is { } c) return c;
        // (a^m)^n = a^(m*n) holds for every real a when m and n are integers.
        if (b is Constant n && double.IsInteger(n.Value)
            && a is BinaryOperation { Operator: BinaryOperator.Power, Right: Constant m } inner && double.IsInteger(m.Value)
            && Fold(m, n, (x, y) => x * y) is { } mn)
            return Pow(inner.Left, mn);
        return new BinaryOperation(BinaryOperator.Power, a, b);
    }

    public static Expr Neg(Expr a)
    {
        switch (a)
        {
            case Constant c: return c.Negated();
            case Negation n: return n.Operand;
            // -(a - b) = b - a and -(c*x) = (-c)*x: no extra node, and the sign stays visible.
            case BinaryOperation { Operator: BinaryOperator.Subtract } s: return new BinaryOperation(BinaryOperator.Subtract, s.Right, s.Left);
            case BinaryOperation { Operator: BinaryOperator.Multiply or BinaryOperator.Divide } when LeadingConstant(a) is not null:
                return ScaleLeading(new Constant(-1, a.Variables), a)!;
            default: return new Negation(a);
        }
    }

    public static Expr Call(MathFunction f, Expr a)
    {
        if (a is Constant c)
        {
            double v = MathFunctions.Apply(f, c.Value);
            if (double.IsFinite(v)) return new Constant(v, a.Variables);
        }
        return new FunctionCall(f, a);
    }

    private static Constant? Fold(Expr a, Expr b, Func<double, double, double> op)
    {
        if (a is not Constant ca || b is not Constant cb) return null;
        double v = op(ca.Value, cb.Value);
        return double.IsFinite(v) ? new Constant(v, a.Variables) : null;
    }

    /// <summary>A negative constant, or a product or quotient led by one: adding it reads better as a subtraction.</summary>
    private static bool HasNegativeFactor(Expr e) => LeadingConstant(e) is { Value: < 0 };

    /// <summary>The leftmost factor of a chain of products and quotients, when it is a constant.</summary>
    private static Constant? LeadingConstant(Expr e) => e switch
    {
        Constant c => c,
        BinaryOperation { Operator: BinaryOperator.Multiply or BinaryOperator.Divide } m => LeadingConstant(m.Left),
        _ => null,
    };

    /// <summary>c times <paramref name="e"/>, by scaling e's leading constant; null when e has none (or the product overflows).</summary>
    private static Expr? ScaleLeading(Constant c, Expr e) => e switch
    {
        Constant k => c.Value == -1 ? k.Negated() : Fold(c, k, (x, y) => x * y),
        BinaryOperation { Operator: BinaryOperator.Multiply } m when ScaleLeading(c, m.Left) is { } left => Mul(left, m.Right),
        BinaryOperation { Operator: BinaryOperator.Divide } d when ScaleLeading(c, d.Left) is { } left => Div(left, d.Right),
        _ => null,
    };

    private static bool IsZero(Expr e) => e is Constant { Value: 0 };

    private static bool IsOne(Expr e) => e is Constant { Value: 1 };

    private static Constant Zero(Expr like) => new(0, like.Variables);
}
