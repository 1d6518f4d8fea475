namespace Kan.Pde.Core.Training;

/// <summary>
/// Minimizer of the cubic that matches function values and derivatives at two points
/// (Nocedal &amp; Wright, Numerical Optimization, eq. 3.59).
/// </summary>
public static class CubicInterpolation
{
    /// <summary>
    /// The local minimizer of the Hermite cubic through (x1, f1, g1) and (x2, f2, g2), or <c>null</c> when the
    /// cubic has none (negative discriminant), the points coincide, or any input is not finite. Callers supply
    /// their own fallback because what is sensible differs between extrapolation and bracketing.
    /// </summary>
    public static double? Minimizer(double x1, double f1, double g1, double x2, double f2, double g2)
    {
        if (x1 == x2) return null;
        double d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2);
        double discriminant = d1 * d1 - g1 * g2;
        // Written as !(≥) so that NaN from non-finite inputs also falls back.
        if (!(discriminant >= 0)) return null;
        double d2 = Math.Sign(x2 - x1) * Math.Sqrt(discriminant);
        double denominator = g2 - g1 + 2.0 * d2;
        if (denominator == 0) return null;
        double x = x2 - (x2 - x1) * (g2 + d2 - d1) / denominator;
        return double.IsFinite(x) ? x : null;
    }

    /// <summary>
    /// <see cref="Minimizer"/> clamped into [<paramref name="lower"/>, <paramref name="upper"/>], or
    /// <paramref name="fallback"/> when the cubic has no minimizer.
    /// </summary>
    public static double MinimizerIn(double x1, double f1, double g1, double x2, double f2, double g2,
        double lower, double upper, double fallback)
    {
        double? x = Minimizer(x1, f1, g1, x2, f2, g2);
        return x is { } value ? Math.Clamp(value, lower, upper) : fallback;
    }
}
