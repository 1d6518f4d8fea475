using MathNet.Numerics.LinearAlgebra;

namespace Kan.Pde.Core.Symbolic;

/// <summary>One monomial Π x_v^p_v of a polynomial and its coefficient.</summary>
/// <param name="Powers">Power of every variable (same order as the variable names).</param>
/// <param name="Coefficient">The coefficient.</param>
/// <param name="Text">The monomial written out, e.g. "alpha*E" or "1".</param>
public sealed record Monomial(IReadOnlyList<int> Powers, double Coefficient, string Text);

/// <summary>
/// Expands a function that is a polynomial of bounded degree (e.g. a KAN whose edges are snapped to x and x²) into
/// monomials: the coefficients of all monomials up to the degree are the least-squares fit to samples of the function,
/// which is exact when it is such a polynomial (<see cref="Result.RelativeResidual"/> then sits at rounding level).
/// </summary>
public static class PolynomialExpansion
{
    /// <summary>The monomials and how well they reproduce the function.</summary>
    /// <param name="Monomials">Every monomial of degree ≤ the requested degree, constant first.</param>
    /// <param name="RelativeResidual">‖f − Σ‖ / ‖f‖ on the samples (≈ 1e-12 for a true polynomial).</param>
    public sealed record Result(IReadOnlyList<Monomial> Monomials, double RelativeResidual)
    {
        /// <summary>The coefficient of the monomial written <paramref name="text"/> (0 when absent).</summary>
        public double this[string text] => Monomials.FirstOrDefault(m => m.Text == text)?.Coefficient ?? 0;
    }

    /// <summary>
    /// Fits <paramref name="function"/> (of the values of <paramref name="names"/>) at uniform random points of the box
    /// <paramref name="ranges"/> with all monomials up to <paramref name="degree"/>.
    /// </summary>
    public static Result Fit(Func<double[], double> function, IReadOnlyList<string> names, IReadOnlyList<(double Lo, double Hi)> ranges,
        int degree, int seed = 0)
    {
        if (names.Count != ranges.Count || names.Count == 0) throw new ArgumentException("one range per variable");
        if (degree < 0 || degree > 6) throw new ArgumentOutOfRangeException(nameof(degree));
        var powers = Powers(names.Count, degree).ToArray();
        int samples = Math.Max(200, 20 * powers.Length);
        var random = new Random(seed);
        var design = Matrix<double>.Build.Dense(samples, powers.Length);
        var values = Vector<double>.Build.Dense(samples);
        var point = new double[names.Count];
        for (int s = 0; s < samples; s++)
        {
            for (int v = 0; v < point.Length; v++) point[v] = ranges[v].Lo + (ranges[v].Hi - ranges[v].Lo) * random.NextDouble();
            values[s] = function(point);
            for (int m = 0; m < powers.Length; m++)
            {
                double term = 1;
                for (int v = 0; v < point.Length; v++) term *= Math.Pow(point[v], powers[m][v]);
                design[s, m] = term;
            }
        }
        var coefficients = design.QR().Solve(values);
        double residual = (design * coefficients - values).L2Norm() / Math.Max(values.L2Norm(), double.Epsilon);
        var monomials = powers.Select((p, m) => new Monomial(p, coefficients[m], Text(p, names))).ToArray();
        return new Result(monomials, residual);
    }

    private static IEnumerable<int[]> Powers(int variables, int degree)
    {
        for (int total = 0; total <= degree; total++)
            foreach (var p in WithTotal(variables, total)) yield return p;
    }

    private static IEnumerable<int[]> WithTotal(int variables, int total)
    {
        if (variables == 1)
        {
            yield return new[] { total };
            yield break;
        }
        for (int first = total; first >= 0; first--)
            foreach (var rest in WithTotal(variables - 1, total - first))
                yield return new[] { first }.Concat(rest).ToArray();
    }

    private static string Text(int[] powers, IReadOnlyList<string> names)
    {
        var parts = powers.Select((p, v) => p == 0 ? null : p == 1 ? names[v] : $"{names[v]}^{p}").Where(s => s is not null).ToArray();
        return parts.Length == 0 ? "1" : string.Join("*", parts);
    }
}
