namespace Kan.Pde.Core.Expressions;

/// <summary>
/// An expression as Σ k_i·t_i + k_0: numeric coefficients times non-constant terms, plus a constant. Terms with the same
/// text are like terms and share one coefficient. The working form of <see cref="Simplifier"/>.
/// </summary>
internal sealed class LinearForm
{
    private readonly List<(double Coefficient, Expr Term, string Key)> _terms = new();

    public LinearForm(IReadOnlyList<string> variables) => Variables = variables;

    public IReadOnlyList<string> Variables { get; }

    public IReadOnlyList<(double Coefficient, Expr Term, string Key)> Terms => _terms;

    public double Constant { get; private set; }

    public bool IsConstant => _terms.Count == 0;

    /// <summary>Number of summands, the constant included when non-zero.</summary>
    public int Size => _terms.Count + (Constant != 0 ? 1 : 0);

    public static LinearForm OfConstant(double value, IReadOnlyList<string> variables)
    {
        var form = new LinearForm(variables);
        form.Constant = value;
        return form;
    }

    public static LinearForm OfTerm(double coefficient, Expr term)
    {
        var form = new LinearForm(term.Variables);
        form.AddTerm(coefficient, term);
        return form;
    }

    public void AddTerm(double coefficient, Expr term)
    {
        if (term is Constant c)
        {
            Constant += coefficient * c.Value;
            return;
        }
        string key = term.ToString();
        for (int i = 0; i < _terms.Count; i++)
        {
            if (_terms[i].Key != key) continue;
            double sum = _terms[i].Coefficient + coefficient;
            if (sum == 0) _terms.RemoveAt(i);
            else _terms[i] = (sum, _terms[i].Term, key);
            return;
        }
        if (coefficient != 0) _terms.Add((coefficient, term, key));
    }

    public void AddConstant(double value) => Constant += value;

    public LinearForm Plus(LinearForm other, double scale = 1)
    {
        var result = Scaled(1);
        foreach (var (k, t, _) in other._terms) result.AddTerm(scale * k, t);
        result.Constant += scale * other.Constant;
        return result;
    }

    public LinearForm Scaled(double factor)
    {
        var result = new LinearForm(Variables);
        if (factor == 0) return result;
        foreach (var (k, t, key) in _terms) result._terms.Add((factor * k, t, key));
        result.Constant = factor * Constant;
        return result;
    }

    /// <summary>The same form with bare variables first, in variable order; other terms keep their order after them.</summary>
    public LinearForm VariablesFirst()
    {
        var result = new LinearForm(Variables) { Constant = Constant };
        result._terms.AddRange(_terms.OrderBy(t => t.Term is Variable v ? v.Index : Variables.Count));
        return result;
    }

    /// <summary>The same form with the constant replaced.</summary>
    public LinearForm WithConstant(double constant)
    {
        var result = Scaled(1);
        result.Constant = constant;
        return result;
    }

    /// <summary>
    /// −t with the sign on the leftmost factor of a product, so that it prints as -a*b rather than -(a*b). Built node by
    /// node: the simplifying constructors pull signs out of products.
    /// </summary>
    private static Expr NegateLeading(Expr t) => t is BinaryOperation { Operator: BinaryOperator.Multiply or BinaryOperator.Divide } b
        ? new BinaryOperation(b.Operator, NegateLeading(b.Left), b.Right)
        : Algebra.Neg(t);

    /// <summary>k·t with k joining the leftmost factor, so that k·(a·b) prints as k*a*b and k·(a/b) as k*a/b.</summary>
    private static Expr Scale(Expr k, Expr t) => t switch
    {
        BinaryOperation { Operator: BinaryOperator.Multiply } m => Algebra.Mul(Scale(k, m.Left), m.Right),
        BinaryOperation { Operator: BinaryOperator.Divide } d => Algebra.Div(Scale(k, d.Left), d.Right),
        _ => Algebra.Mul(k, t),
    };

    /// <summary>The form as k·t when it is a single term without constant; otherwise (1, whole expression).</summary>
    public (double Coefficient, Expr Core) Split()
    {
        if (_terms.Count == 1 && Constant == 0) return (_terms[0].Coefficient, _terms[0].Term);
        return (1, ToExpr());
    }

    /// <summary>
    /// Terms in order of first appearance, negative ones as subtractions, the constant last. <paramref name="number"/>
    /// writes a (positive) coefficient or constant; by default a plain number.
    /// </summary>
    public Expr ToExpr(Func<double, Expr>? number = null)
    {
        number ??= v => new Constant(v, Variables);
        Expr? sum = null;
        foreach (var (k, t, _) in _terms)
        {
            var magnitude = Math.Abs(k) == 1 ? t : Scale(number(Math.Abs(k)), t);
            sum = sum is null ? (k < 0 ? NegateLeading(magnitude) : magnitude)
                : k < 0 ? Algebra.Sub(sum, magnitude) : Algebra.Add(sum, magnitude);
        }
        if (sum is null) return Constant < 0 ? Algebra.Neg(number(-Constant)) : number(Constant);
        if (Constant > 0) return Algebra.Add(sum, number(Constant));
        if (Constant < 0) return Algebra.Sub(sum, number(-Constant));
        return sum;
    }
}
