using Kan.Pde.Core.Expressions;

namespace Kan.Pde.Core.Symbolic;

/// <summary>
/// A fitted edge function y ≈ <see cref="C"/>·f(<see cref="A"/>·x + <see cref="B"/>) + <see cref="D"/>, with its
/// coefficient of determination R² = 1 − SSE/SST on the samples it was fitted to.
/// </summary>
/// <param name="Function">f.</param>
/// <param name="A">Scale of the argument.</param>
/// <param name="B">Shift of the argument.</param>
/// <param name="C">Scale of the value.</param>
/// <param name="D">Offset of the value.</param>
/// <param name="R2">Coefficient of determination on the fitted samples (1 = exact; 1 also when the samples are constant and fitted exactly).</param>
public sealed record SymbolicFit(SymbolicFunction Function, double A, double B, double C, double D, double R2)
{
    /// <summary>c·f(a·x + b) + d.</summary>
    public double Evaluate(double x) => C * Function.Value(A * x + B) + D;

    /// <summary>The fit as an expression in <paramref name="argument"/>: c·f(a·argument + b) + d, simplified.</summary>
    public Expr ToExpression(Expr argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        Expr K(double v) => Expr.Constant(v, argument.Variables);
        return K(C) * Function.Apply(K(A) * argument + K(B)) + K(D);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{C:G6}*{Function.Name}({A:G6}*x + {B:G6}) + {D:G6}  (R^2 = {R2:G10})";
}
