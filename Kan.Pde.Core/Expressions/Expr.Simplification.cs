namespace Kan.Pde.Core.Expressions;

public abstract partial class Expr
{
    /// <summary>
    /// The expression with like terms and constants collected at every level (through sums, differences, constant
    /// factors and divisions by constants), e.g. 2*(x + 1) - x + 3*x*y/3 → x + x*y + 2. Equal up to floating-point
    /// rounding of the folded constants.
    /// </summary>
    public Expr Simplified() => Simplifier.Simplify(this);

    /// <summary>
    /// Simplifies and removes, in every sum at every level, the summands whose root-mean-square over
    /// <paramref name="points"/> (each an array of variable values) is below <paramref name="relativeTolerance"/> times
    /// that of the whole sum: the near-zero terms a trained network leaves behind.
    /// </summary>
    public Expr WithoutNegligibleTerms(IReadOnlyList<double[]> points, double relativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Any(p => p is null || p.Length != Variables.Count))
            throw new ArgumentException($"every point needs {Variables.Count} value(s) for ({string.Join(", ", Variables)})", nameof(points));
        if (!(relativeTolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(relativeTolerance), "the tolerance must be non-negative");
        return Simplifier.DropNegligible(this, points, relativeTolerance);
    }

    /// <summary>
    /// A readable approximation: constants rounded to <paramref name="significantDigits"/> digits or named as p·π/q when
    /// that close; sin/cos phases reduced (quarter turns become the other function or a sign, arguments start with a
    /// positive coefficient); k·cos P ± k·cos Q and k·sin P ± k·sin Q written as products when shorter, so that
    /// ½cos(πx − πy) − ½cos(πx + πy) prints as sin(pi*x)*sin(pi*y). The result differs from this expression by the
    /// rounding; evaluate it to see by how much.
    /// </summary>
    public Expr Tidied(int significantDigits = 6)
    {
        if (significantDigits is < 1 or > 15) throw new ArgumentOutOfRangeException(nameof(significantDigits), "1 to 15 digits");
        return Simplifier.Tidy(this, significantDigits);
    }

    /// <summary>The expression as LaTeX math (without surrounding $).</summary>
    public string ToLatex() => LatexWriter.Write(this);
}
