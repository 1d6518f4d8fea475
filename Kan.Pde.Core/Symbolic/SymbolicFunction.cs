using Kan.Pde.Core.Expressions;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Symbolic;

/// <summary>How an affine argument a·x + b can be normalised without changing the family c·f(a·x + b) + d.</summary>
public enum ArgumentFreedom
{
    /// <summary>Both a and b matter (sin, tanh, sigmoid, ...): the fitter searches over both.</summary>
    ScaleAndShift,

    /// <summary>
    /// f(λz) is λ^p·f(z) or f(z) + log λ (powers, 1/x, √x, log, abs): a scale of the argument is absorbed by c or d,
    /// so a = ±1 and only b is searched.
    /// </summary>
    ShiftOnly,

    /// <summary>f(z + b) = e^b·f(z) (exp): a shift is absorbed by c, so b = 0 and only a is searched.</summary>
    ScaleOnly,

    /// <summary>No search: the fit is linear least squares (x) or a constant (0).</summary>
    None,
}

/// <summary>
/// A univariate function of the symbolic library that KAN edges are fitted with, as c·f(a·x + b) + d.
/// Each function has its value and closed-form first and second derivatives (scalar and tensor), so symbolic
/// edges take part in forward-mode Taylor jets, its domain (so fits never put an argument where f is undefined),
/// a complexity used to prefer simpler formulas, and its form as an <see cref="Expr"/> for formula output.
/// </summary>
public sealed class SymbolicFunction
{
    /// <summary>Arguments closer than this to a singularity (log, √, 1/x at 0) are moved to this distance in tensor evaluation.</summary>
    public const double GuardEpsilon = 1e-8;

    private readonly Func<double, double> _value, _first, _second;
    private readonly Func<Tensor, int, Tensor[]> _tensor;
    private readonly Func<double, double, bool> _acceptsRange;
    private readonly Func<Expr, Expr> _expression;

    private SymbolicFunction(string name, int complexity, ArgumentFreedom freedom,
        Func<double, double> value, Func<double, double> first, Func<double, double> second,
        Func<Tensor, int, Tensor[]> tensor, Func<Expr, Expr> expression,
        Func<double, double, bool>? acceptsRange = null, double period = 0)
    {
        Name = name;
        Complexity = complexity;
        Freedom = freedom;
        _value = value;
        _first = first;
        _second = second;
        _tensor = tensor;
        _expression = expression;
        _acceptsRange = acceptsRange ?? ((_, _) => true);
        Period = period;
    }

    /// <summary>Name as written in specs and reports: x, x^2, x^3, x^4, 1/x, sqrt, exp, log, sin, cos, tan, tanh, sigmoid, cosh, arctan, abs, gaussian, 0.</summary>
    public string Name { get; }

    /// <summary>A small integer; larger means a less simple formula (x = 1, 0 = 0). Used to rank fits of similar quality.</summary>
    public int Complexity { get; }

    /// <summary>Which parts of the affine argument a fit has to search.</summary>
    public ArgumentFreedom Freedom { get; }

    /// <summary>Period of f (2π for sin and cos, π for tan), 0 when not periodic; limits the search over b.</summary>
    public double Period { get; }

    /// <summary>f(z).</summary>
    public double Value(double z) => _value(z);

    /// <summary>f'(z).</summary>
    public double FirstDerivative(double z) => _first(z);

    /// <summary>f''(z).</summary>
    public double SecondDerivative(double z) => _second(z);

    /// <summary>
    /// True when f and its derivatives are finite on the whole argument interval [<paramref name="lo"/>, <paramref name="hi"/>]:
    /// log and √ need lo &gt; 0, 1/x an interval not containing 0, tan one between two neighbouring poles.
    /// </summary>
    public bool AcceptsRange(double lo, double hi) => double.IsFinite(lo) && double.IsFinite(hi) && lo <= hi && _acceptsRange(lo, hi);

    /// <summary>
    /// [f(z), f'(z), f''(z)] up to <paramref name="order"/> (0, 1 or 2), elementwise. Arguments of log, √ and 1/x closer
    /// than <see cref="GuardEpsilon"/> to the singularity (or beyond it) are evaluated at that distance, so a training step
    /// that leaves the domain gives large finite values instead of NaN.
    /// </summary>
    public Tensor[] Evaluate(Tensor z, int order)
    {
        if (order is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(order), "order must be 0, 1 or 2");
        return _tensor(z, order);
    }

    /// <summary>f(<paramref name="argument"/>) as an expression (for formulas).</summary>
    public Expr Apply(Expr argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return _expression(argument);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private static Tensor[] Take(int order, Tensor f, Func<Tensor> d1, Func<Tensor> d2) =>
        order == 0 ? new[] { f } : order == 1 ? new[] { f, d1() } : new[] { f, d1(), d2() };

    private static Expr Num(double v, Expr like) => new Constant(v, like.Variables);

    private static Expr Call(MathFunction f, Expr a) => Algebra.Call(f, a);

    /// <summary>x: the identity.</summary>
    public static readonly SymbolicFunction X = new("x", 1, ArgumentFreedom.None,
        z => z, _ => 1, _ => 0,
        (z, o) => Take(o, z, () => ones_like(z), () => zeros_like(z)),
        a => a);

    /// <summary>x².</summary>
    public static readonly SymbolicFunction Square = new("x^2", 2, ArgumentFreedom.ShiftOnly,
        z => z * z, z => 2 * z, _ => 2,
        (z, o) => Take(o, z.square(), () => 2 * z, () => full_like(z, 2.0)),
        a => Algebra.Pow(a, Num(2, a)));

    /// <summary>x³.</summary>
    public static readonly SymbolicFunction Cube = new("x^3", 3, ArgumentFreedom.ShiftOnly,
        z => z * z * z, z => 3 * z * z, z => 6 * z,
        (z, o) => Take(o, z.pow(3), () => 3 * z.square(), () => 6 * z),
        a => Algebra.Pow(a, Num(3, a)));

    /// <summary>x⁴.</summary>
    public static readonly SymbolicFunction Fourth = new("x^4", 3, ArgumentFreedom.ShiftOnly,
        z => z * z * z * z, z => 4 * z * z * z, z => 12 * z * z,
        (z, o) => Take(o, z.pow(4), () => 4 * z.pow(3), () => 12 * z.square()),
        a => Algebra.Pow(a, Num(4, a)));

    /// <summary>1/x, on arguments of one sign.</summary>
    public static readonly SymbolicFunction Reciprocal = new("1/x", 2, ArgumentFreedom.ShiftOnly,
        z => 1 / z, z => -1 / (z * z), z => 2 / (z * z * z),
        (z, o) =>
        {
            var sign = 1 - 2 * (z < 0).to_type(z.dtype);
            var safe = where(z.abs() < GuardEpsilon, sign * GuardEpsilon, z);
            var r = safe.reciprocal();
            return Take(o, r, () => -r.square(), () => 2 * r.pow(3));
        },
        a => Algebra.Div(Num(1, a), a),
        (lo, hi) => lo > 0 || hi < 0);

    /// <summary>√x, on positive arguments.</summary>
    public static readonly SymbolicFunction Sqrt = new("sqrt", 2, ArgumentFreedom.ShiftOnly,
        Math.Sqrt, z => 0.5 / Math.Sqrt(z), z => -0.25 / (z * Math.Sqrt(z)),
        (z, o) =>
        {
            var s = z.clamp_min(GuardEpsilon).sqrt();
            return Take(o, s, () => 0.5 / s, () => -0.25 / s.pow(3));
        },
        a => Call(MathFunction.Sqrt, a),
        (lo, _) => lo > 0);

    /// <summary>e^x.</summary>
    public static readonly SymbolicFunction Exp = new("exp", 3, ArgumentFreedom.ScaleOnly,
        Math.Exp, Math.Exp, Math.Exp,
        (z, o) =>
        {
            var e = z.exp();
            return Take(o, e, () => e, () => e);
        },
        a => Call(MathFunction.Exp, a));

    /// <summary>Natural logarithm, on positive arguments.</summary>
    public static readonly SymbolicFunction Log = new("log", 3, ArgumentFreedom.ShiftOnly,
        Math.Log, z => 1 / z, z => -1 / (z * z),
        (z, o) =>
        {
            var safe = z.clamp_min(GuardEpsilon);
            return Take(o, safe.log(), () => safe.reciprocal(), () => -safe.square().reciprocal());
        },
        a => Call(MathFunction.Log, a),
        (lo, _) => lo > 0);

    /// <summary>sin x.</summary>
    public static readonly SymbolicFunction Sin = new("sin", 3, ArgumentFreedom.ScaleAndShift,
        Math.Sin, Math.Cos, z => -Math.Sin(z),
        (z, o) =>
        {
            var s = z.sin();
            return Take(o, s, () => z.cos(), () => -s);
        },
        a => Call(MathFunction.Sin, a), period: 2 * Math.PI);

    /// <summary>cos x.</summary>
    public static readonly SymbolicFunction Cos = new("cos", 3, ArgumentFreedom.ScaleAndShift,
        Math.Cos, z => -Math.Sin(z), z => -Math.Cos(z),
        (z, o) =>
        {
            var c = z.cos();
            return Take(o, c, () => -z.sin(), () => -c);
        },
        a => Call(MathFunction.Cos, a), period: 2 * Math.PI);

    /// <summary>tan x, between two neighbouring poles.</summary>
    public static readonly SymbolicFunction Tan = new("tan", 4, ArgumentFreedom.ScaleAndShift,
        Math.Tan, z => 1 + Math.Tan(z) * Math.Tan(z), z => 2 * Math.Tan(z) * (1 + Math.Tan(z) * Math.Tan(z)),
        (z, o) =>
        {
            var t = z.tan();
            return Take(o, t, () => 1 + t.square(), () => 2 * t * (1 + t.square()));
        },
        a => Call(MathFunction.Tan, a),
        // Both ends in the same branch (−π/2 + kπ, π/2 + kπ), with some room so that values stay moderate.
        (lo, hi) => Math.Floor((lo + Math.PI / 2) / Math.PI) == Math.Floor((hi + Math.PI / 2) / Math.PI)
                    && Math.Abs(Math.Cos(lo)) > 1e-3 && Math.Abs(Math.Cos(hi)) > 1e-3,
        period: Math.PI);

    /// <summary>tanh x.</summary>
    public static readonly SymbolicFunction Tanh = new("tanh", 4, ArgumentFreedom.ScaleAndShift,
        Math.Tanh, z => 1 - Math.Tanh(z) * Math.Tanh(z), z => -2 * Math.Tanh(z) * (1 - Math.Tanh(z) * Math.Tanh(z)),
        (z, o) =>
        {
            var t = z.tanh();
            return Take(o, t, () => 1 - t.square(), () => -2 * t * (1 - t.square()));
        },
        a => Call(MathFunction.Tanh, a));

    /// <summary>The logistic sigmoid 1/(1 + e^−x).</summary>
    public static readonly SymbolicFunction Sigmoid = new("sigmoid", 4, ArgumentFreedom.ScaleAndShift,
        Logistic, z => Logistic(z) * (1 - Logistic(z)), z => Logistic(z) * (1 - Logistic(z)) * (1 - 2 * Logistic(z)),
        (z, o) =>
        {
            var s = z.sigmoid();
            return Take(o, s, () => s * (1 - s), () => s * (1 - s) * (1 - 2 * s));
        },
        a => Algebra.Div(Num(1, a), Algebra.Add(Num(1, a), Call(MathFunction.Exp, Algebra.Neg(a)))));

    /// <summary>cosh x.</summary>
    public static readonly SymbolicFunction Cosh = new("cosh", 4, ArgumentFreedom.ScaleAndShift,
        Math.Cosh, Math.Sinh, Math.Cosh,
        (z, o) =>
        {
            var c = z.cosh();
            return Take(o, c, () => z.sinh(), () => c);
        },
        a => Call(MathFunction.Cosh, a));

    /// <summary>arctan x.</summary>
    public static readonly SymbolicFunction Arctan = new("arctan", 4, ArgumentFreedom.ScaleAndShift,
        Math.Atan, z => 1 / (1 + z * z), z => -2 * z / ((1 + z * z) * (1 + z * z)),
        (z, o) =>
        {
            var q = (1 + z.square()).reciprocal();
            return Take(o, z.atan(), () => q, () => -2 * z * q.square());
        },
        a => Call(MathFunction.Atan, a));

    /// <summary>|x| (its second derivative is taken as 0, also at the kink).</summary>
    public static readonly SymbolicFunction Abs = new("abs", 3, ArgumentFreedom.ShiftOnly,
        Math.Abs, z => Math.Sign(z), _ => 0,
        (z, o) => Take(o, z.abs(), () => z.sign(), () => zeros_like(z)),
        a => Call(MathFunction.Abs, a));

    /// <summary>The Gaussian bump e^(−x²).</summary>
    public static readonly SymbolicFunction Gaussian = new("gaussian", 4, ArgumentFreedom.ScaleAndShift,
        z => Math.Exp(-z * z), z => -2 * z * Math.Exp(-z * z), z => (4 * z * z - 2) * Math.Exp(-z * z),
        (z, o) =>
        {
            var g = (-z.square()).exp();
            return Take(o, g, () => -2 * z * g, () => (4 * z.square() - 2) * g);
        },
        a => Call(MathFunction.Exp, Algebra.Neg(Algebra.Pow(a, Num(2, a)))));

    /// <summary>The zero function: an edge fixed to it is the constant d.</summary>
    public static readonly SymbolicFunction Zero = new("0", 0, ArgumentFreedom.None,
        _ => 0, _ => 0, _ => 0,
        (z, o) => Take(o, zeros_like(z), () => zeros_like(z), () => zeros_like(z)),
        a => Num(0, a));

    private static double Logistic(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
