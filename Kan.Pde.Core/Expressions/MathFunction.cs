using static TorchSharp.torch;

namespace Kan.Pde.Core.Expressions;

/// <summary>The elementary functions of the expression language.</summary>
internal enum MathFunction { Sin, Cos, Tan, Exp, Log, Sqrt, Tanh, Abs, Sinh, Cosh, Atan, Sign }

/// <summary>Names, scalar and tensor evaluation, and the outer derivative f'(a) of each function.</summary>
internal static class MathFunctions
{
    /// <summary>Accepted names; "arctan" is an alias that prints back as "atan".</summary>
    public static readonly IReadOnlyDictionary<string, MathFunction> ByName = new Dictionary<string, MathFunction>
    {
        ["sin"] = MathFunction.Sin, ["cos"] = MathFunction.Cos, ["tan"] = MathFunction.Tan,
        ["exp"] = MathFunction.Exp, ["log"] = MathFunction.Log, ["sqrt"] = MathFunction.Sqrt,
        ["tanh"] = MathFunction.Tanh, ["abs"] = MathFunction.Abs, ["sinh"] = MathFunction.Sinh,
        ["cosh"] = MathFunction.Cosh, ["atan"] = MathFunction.Atan, ["arctan"] = MathFunction.Atan,
        ["sign"] = MathFunction.Sign,
    };

    public static string Name(MathFunction f) => f.ToString().ToLowerInvariant();

    public static double Apply(MathFunction f, double a) => f switch
    {
        MathFunction.Sin => Math.Sin(a),
        MathFunction.Cos => Math.Cos(a),
        MathFunction.Tan => Math.Tan(a),
        MathFunction.Exp => Math.Exp(a),
        MathFunction.Log => Math.Log(a),
        MathFunction.Sqrt => Math.Sqrt(a),
        MathFunction.Tanh => Math.Tanh(a),
        MathFunction.Abs => Math.Abs(a),
        MathFunction.Sinh => Math.Sinh(a),
        MathFunction.Cosh => Math.Cosh(a),
        MathFunction.Atan => Math.Atan(a),
        // Math.Sign throws on NaN; propagate NaN like the tensor version does.
        _ => a > 0 ? 1 : a < 0 ? -1 : a == 0 ? 0 : double.NaN,
    };

    public static Tensor Apply(MathFunction f, Tensor a) => f switch
    {
        MathFunction.Sin => a.sin(),
        MathFunction.Cos => a.cos(),
        MathFunction.Tan => a.tan(),
        MathFunction.Exp => a.exp(),
        MathFunction.Log => a.log(),
        MathFunction.Sqrt => a.sqrt(),
        MathFunction.Tanh => a.tanh(),
        MathFunction.Abs => a.abs(),
        MathFunction.Sinh => a.sinh(),
        MathFunction.Cosh => a.cosh(),
        MathFunction.Atan => a.atan(),
        _ => a.sign(),
    };

    /// <summary>f'(a) as an expression in a; the caller multiplies by da (chain rule).</summary>
    public static Expr OuterDerivative(MathFunction f, Expr a)
    {
        Expr Num(double v) => new Constant(v, a.Variables);
        return f switch
        {
            MathFunction.Sin => Algebra.Call(MathFunction.Cos, a),
            MathFunction.Cos => Algebra.Neg(Algebra.Call(MathFunction.Sin, a)),
            MathFunction.Tan => Algebra.Div(Num(1), Algebra.Pow(Algebra.Call(MathFunction.Cos, a), Num(2))),
            MathFunction.Exp => Algebra.Call(MathFunction.Exp, a),
            MathFunction.Log => Algebra.Div(Num(1), a),
            MathFunction.Sqrt => Algebra.Div(Num(0.5), Algebra.Call(MathFunction.Sqrt, a)),
            MathFunction.Tanh => Algebra.Sub(Num(1), Algebra.Pow(Algebra.Call(MathFunction.Tanh, a), Num(2))),
            // sign(a) rather than a/|a|: finite at a = 0, where |a| has no derivative anyway.
            MathFunction.Abs => Algebra.Call(MathFunction.Sign, a),
            MathFunction.Sinh => Algebra.Call(MathFunction.Cosh, a),
            MathFunction.Cosh => Algebra.Call(MathFunction.Sinh, a),
            MathFunction.Atan => Algebra.Div(Num(1), Algebra.Add(Num(1), Algebra.Pow(a, Num(2)))),
            _ => Num(0),
        };
    }
}
