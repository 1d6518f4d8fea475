namespace Kan.Pde.Core.Expressions;

/// <summary>
/// Simplification beyond the local rules of <see cref="Algebra"/>, for formulas read off trained networks:
/// collecting like terms and constants through sums, differences, constant factors and divisions by constants
/// (<see cref="Simplify"/>); dropping terms that are negligible on a set of points (<see cref="DropNegligible"/>);
/// and a tidy form for display (<see cref="Tidy"/>: rounded constants, multiples of π by name, sin/cos phases reduced,
/// sums of sines or cosines turned into products where that is shorter).
/// </summary>
internal static class Simplifier
{
    /// <summary>Collects like terms and constants at every level; exact up to rounding of the folded constants.</summary>
    public static Expr Simplify(Expr e) => Form(e).ToExpr();

    /// <summary>The expression as a sum of coefficient·term pairs, with sub-expressions simplified.</summary>
    public static LinearForm Form(Expr e)
    {
        var vars = e.Variables;
        switch (e)
        {
            case Constant c:
                return LinearForm.OfConstant(c.Value, vars);
            case Variable:
                return LinearForm.OfTerm(1, e);
            case Negation n:
                return Form(n.Operand).Scaled(-1);
            case FunctionCall call:
            {
                var argument = Form(call.Argument);
                if (argument.IsConstant)
                {
                    double v = MathFunctions.Apply(call.Function, argument.Constant);
                    if (double.IsFinite(v)) return LinearForm.OfConstant(v, vars);
                }
                return LinearForm.OfTerm(1, Algebra.Call(call.Function, argument.ToExpr()));
            }
            case BinaryOperation b:
            {
                var left = Form(b.Left);
                var right = Form(b.Right);
                switch (b.Operator)
                {
                    case BinaryOperator.Add: return left.Plus(right);
                    case BinaryOperator.Subtract: return left.Plus(right, -1);
                    case BinaryOperator.Multiply:
                    {
                        if (left.IsConstant) return right.Scaled(left.Constant);
                        if (right.IsConstant) return left.Scaled(right.Constant);
                        var (kl, l) = left.Split();
                        var (kr, r) = right.Split();
                        var product = l.ToString() == r.ToString() ? Algebra.Pow(l, new Constant(2, vars)) : Algebra.Mul(l, r);
                        return LinearForm.OfTerm(kl * kr, product);
                    }
                    case BinaryOperator.Divide:
                    {
                        if (right.IsConstant && right.Constant != 0 && double.IsFinite(1 / right.Constant))
                            return left.Scaled(1 / right.Constant);
                        var (kl, l) = left.IsConstant ? (left.Constant, new Constant(1, vars)) : left.Split();
                        var (kr, r) = right.Split();
                        return LinearForm.OfTerm(kl / kr, Algebra.Div(l, r));
                    }
                    default:
                    {
                        if (left.IsConstant && right.IsConstant)
                        {
                            double v = Math.Pow(left.Constant, right.Constant);
                            if (double.IsFinite(v)) return LinearForm.OfConstant(v, vars);
                        }
                        if (right.IsConstant && double.IsInteger(right.Constant) && !left.IsConstant)
                        {
                            // (k·t)^n = k^n · t^n for integer n.
                            var (k, t) = left.Split();
                            double kn = Math.Pow(k, right.Constant);
                            if (double.IsFinite(kn) && kn != 0) return LinearForm.OfTerm(kn, Algebra.Pow(t, new Constant(right.Constant, vars)));
                        }
                        return LinearForm.OfTerm(1, Algebra.Pow(left.ToExpr(), right.ToExpr()));
                    }
                }
            }
            default:
                return LinearForm.OfTerm(1, e);
        }
    }

    /// <summary>
    /// Removes, in every sum at every level, the summands whose root-mean-square over <paramref name="points"/> is below
    /// <paramref name="relativeTolerance"/> times that of the whole sum (a constant counts as a summand).
    /// </summary>
    public static Expr DropNegligible(Expr e, IReadOnlyList<double[]> points, double relativeTolerance) =>
        DropInSum(Form(e), points, relativeTolerance).ToExpr();

    private static LinearForm DropInSum(LinearForm form, IReadOnlyList<double[]> points, double tolerance)
    {
        var vars = form.Variables;
        var pieces = form.Terms.Select(t => (t.Coefficient, Term: DropInside(t.Term, points, tolerance))).ToList();
        double total = Rms(points, p => pieces.Sum(x => x.Coefficient * x.Term.Eval(p)) + form.Constant);
        var kept = new LinearForm(vars);
        foreach (var (k, term) in pieces)
            if (!(Rms(points, p => k * term.Eval(p)) < relativeOf(total))) kept.AddTerm(k, term);
        if (!(Math.Abs(form.Constant) < relativeOf(total))) kept.AddConstant(form.Constant);
        return kept;

        double relativeOf(double t) => tolerance * t;
    }

    private static Expr DropInside(Expr e, IReadOnlyList<double[]> points, double tolerance) => e switch
    {
        FunctionCall call => Algebra.Call(call.Function, DropInSum(Form(call.Argument), points, tolerance).ToExpr()),
        BinaryOperation { Operator: BinaryOperator.Multiply } m => Algebra.Mul(DropInside(m.Left, points, tolerance), DropInside(m.Right, points, tolerance)),
        BinaryOperation { Operator: BinaryOperator.Divide } d => Algebra.Div(DropInSum(Form(d.Left), points, tolerance).ToExpr(),
            DropInSum(Form(d.Right), points, tolerance).ToExpr()),
        BinaryOperation { Operator: BinaryOperator.Power } p => Algebra.Pow(DropInSum(Form(p.Left), points, tolerance).ToExpr(), p.Right),
        BinaryOperation s => DropInSum(Form(s), points, tolerance).ToExpr(),
        _ => e,
    };

    private static double Rms(IReadOnlyList<double[]> points, Func<double[], double> f)
    {
        if (points.Count == 0) return 0;
        double sum = 0;
        foreach (var p in points)
        {
            double v = f(p);
            sum += v * v;
        }
        return Math.Sqrt(sum / points.Count);
    }

    /// <summary>
    /// A readable form: constants rounded to <paramref name="digits"/> significant digits, or replaced by p·π/q (q ≤ 6)
    /// when that close; sin and cos with their phase reduced to (−π, π], a phase of ±π/2 or π turned into the other
    /// function or a sign, and odd/even symmetry used so that arguments start with a positive coefficient; and
    /// k·cos P ± k·cos Q, k·sin P ± k·sin Q turned into products of functions of (P ± Q)/2 when those are shorter.
    /// The result is a different expression (rounded); callers measure its error.
    /// </summary>
    public static Expr Tidy(Expr e, int digits)
    {
        var tidy = new Tidier(digits, e.Variables);
        return tidy.Sum(Form(e)).ToExpr(tidy.Number);
    }

    private sealed class Tidier(int digits, IReadOnlyList<string> variables)
    {
        private readonly double _tolerance = Math.Pow(10, -digits);

        /// <summary>A rounded number: p·π/q when within the tolerance, else <c>digits</c> significant digits.</summary>
        public double Round(double v)
        {
            if (v == 0 || !double.IsFinite(v)) return v;
            foreach (int q in new[] { 1, 2, 3, 4, 6 })
            {
                double p = Math.Round(v * q / Math.PI);
                if (p != 0 && Math.Abs(p) <= 12 * q && Math.Abs(v - p * Math.PI / q) <= _tolerance * Math.Abs(v)) return p * Math.PI / q;
            }
            int exponent = (int)Math.Floor(Math.Log10(Math.Abs(v)));
            int decimals = digits - 1 - exponent;
            if (decimals is >= 0 and <= 15) return Math.Round(v, decimals);
            double scale = Math.Pow(10, exponent - digits + 1);
            return Math.Round(v / scale) * scale;
        }

        /// <summary>Writes a positive number, naming multiples p·π/q (to 1e-14) as pi, 3*pi, pi/2, 3*pi/4, ...</summary>
        public Expr Number(double v)
        {
            foreach (int q in new[] { 1, 2, 3, 4, 6 })
            {
                double p = Math.Round(v * q / Math.PI);
                if (p < 1 || Math.Abs(v - p * Math.PI / q) > 1e-14 * Math.Abs(v) || Gcd((long)p, q) != 1) continue;
                // Built node by node: the simplifying constructors would fold 3*pi back into a number.
                Expr pi = new Constant(Math.PI, variables, "pi");
                Expr numerator = p == 1 ? pi : new BinaryOperation(BinaryOperator.Multiply, new Constant(p, variables), pi);
                return q == 1 ? numerator : new BinaryOperation(BinaryOperator.Divide, numerator, new Constant(q, variables));
            }
            return new Constant(v, variables);
        }

        private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

        public LinearForm Sum(LinearForm form)
        {
            var result = new LinearForm(form.Variables);
            foreach (var (k, term, _) in form.Terms)
            {
                var (sign, core) = Term(term);
                double coefficient = Round(sign * k);
                if (coefficient != 0) result.AddTerm(coefficient, core);
            }
            result.AddConstant(Round(form.Constant));
            return SumToProduct(result.VariablesFirst());
        }

        /// <summary>A tidy term as a sign and a core.</summary>
        private (double Sign, Expr Core) Term(Expr e)
        {
            switch (e)
            {
                case FunctionCall { Function: MathFunction.Sin or MathFunction.Cos } call:
                    return Trig(call.Function, Sum(Form(call.Argument)));
                case FunctionCall call:
                    return (1, Algebra.Call(call.Function, Sum(Form(call.Argument)).ToExpr(Number)));
                case BinaryOperation { Operator: BinaryOperator.Multiply } m:
                {
                    var (sl, l) = Term(m.Left);
                    var (sr, r) = Term(m.Right);
                    return (sl * sr, Algebra.Mul(l, r));
                }
                case BinaryOperation { Operator: BinaryOperator.Divide } d:
                    return (1, Algebra.Div(Sum(Form(d.Left)).ToExpr(Number), Sum(Form(d.Right)).ToExpr(Number)));
                case BinaryOperation { Operator: BinaryOperator.Power } p:
                    return (1, Algebra.Pow(Sum(Form(p.Left)).ToExpr(Number), p.Right));
                default:
                    return (1, e);
            }
        }

        /// <summary>sin or cos of a tidy argument, with the phase reduced and the leading coefficient made positive.</summary>
        private (double Sign, Expr Core) Trig(MathFunction f, LinearForm argument)
        {
            double sign = 1;
            bool sine = f == MathFunction.Sin;
            if (!argument.IsConstant && argument.Terms[0].Coefficient < 0)
            {
                // sin(−u) = −sin(u), cos(−u) = cos(u).
                argument = argument.Scaled(-1);
                if (sine) sign = -sign;
            }
            double phase = argument.Constant;
            if (!argument.IsConstant && phase != 0)
            {
                double reduced = phase - 2 * Math.PI * Math.Round(phase / (2 * Math.PI));
                // Quarter turns: sin(u + π/2) = cos u, cos(u + π/2) = −sin u, and a half turn flips the sign.
                int quarter = (int)Math.Round(reduced / (Math.PI / 2));
                if (Math.Abs(reduced - quarter * Math.PI / 2) <= _tolerance * Math.Max(1, Math.Abs(phase)))
                {
                    argument = argument.WithConstant(0);
                    switch ((quarter % 4 + 4) % 4)
                    {
                        case 1: (sine, sign) = sine ? (false, sign) : (true, -sign); break;
                        case 2: sign = -sign; break;
                        case 3: (sine, sign) = sine ? (false, -sign) : (true, sign); break;
                    }
                }
                else if (reduced != phase)
                {
                    argument = argument.WithConstant(Round(reduced));
                }
            }
            return (sign, Algebra.Call(sine ? MathFunction.Sin : MathFunction.Cos, argument.ToExpr(Number)));
        }

        /// <summary>k·cos P ± k·cos Q and k·sin P ± k·sin Q as products of functions of (P ± Q)/2, when shorter.</summary>
        private LinearForm SumToProduct(LinearForm form)
        {
            while (true)
            {
                var terms = form.Terms;
                bool changed = false;
                for (int i = 0; i < terms.Count && !changed; i++)
                    for (int j = i + 1; j < terms.Count && !changed; j++)
                    {
                        if (terms[i].Term is not FunctionCall { Function: MathFunction.Sin or MathFunction.Cos } fi
                            || terms[j].Term is not FunctionCall fj || fj.Function != fi.Function) continue;
                        double ki = terms[i].Coefficient, kj = terms[j].Coefficient;
                        if (Math.Abs(Math.Abs(ki) - Math.Abs(kj)) > _tolerance * Math.Abs(ki)) continue;
                        var p = Form(fi.Argument);
                        var q = Form(fj.Argument);
                        var half = p.Plus(q).Scaled(0.5);
                        var difference = p.Plus(q, -1).Scaled(0.5);
                        if (half.Size + difference.Size >= p.Size + q.Size || half.IsConstant && difference.IsConstant) continue;
                        bool same = Math.Sign(ki) == Math.Sign(kj);
                        // cos P + cos Q = 2 cos A cos B; cos P − cos Q = −2 sin A sin B;
                        // sin P + sin Q = 2 sin A cos B; sin P − sin Q = 2 cos A sin B  (A = (P+Q)/2, B = (P−Q)/2).
                        var (fa, fb, factor) = fi.Function == MathFunction.Cos
                            ? same ? (MathFunction.Cos, MathFunction.Cos, 2.0) : (MathFunction.Sin, MathFunction.Sin, -2.0)
                            : same ? (MathFunction.Sin, MathFunction.Cos, 2.0) : (MathFunction.Cos, MathFunction.Sin, 2.0);
                        var (sa, ea) = Trig(fa, half);
                        var (sb, eb) = Trig(fb, difference);
                        var next = new LinearForm(form.Variables);
                        for (int k = 0; k < terms.Count; k++)
                            if (k != i && k != j) next.AddTerm(terms[k].Coefficient, terms[k].Term);
                        next.AddConstant(form.Constant);
                        // A constant half (cos of a number) joins the coefficient, which is rounded once more.
                        double scale = (ea is Constant ca ? ca.Value : 1) * (eb is Constant cb ? cb.Value : 1);
                        var product = ea is Constant ? eb : eb is Constant ? ea : Algebra.Mul(ea, eb);
                        next.AddTerm(Round(factor * ki * sa * sb * scale), product);
                        form = next;
                        changed = true;
                    }
                if (!changed) return form;
            }
        }
    }
}
