namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// Least-squares straight line through (log10 N, log10 error): error ≈ 10^Log10Prefactor · N^Slope.
/// </summary>
/// <param name="Slope">Exponent of N (negative when the error falls with size).</param>
/// <param name="Log10Prefactor">Intercept of the line in log10 units.</param>
/// <param name="Points">Points fitted.</param>
public sealed record PowerLawFit(double Slope, double Log10Prefactor, int Points)
{
    /// <summary>
    /// Fits the positive, finite points; null when fewer than two distinct N remain (no slope is defined).
    /// </summary>
    public static PowerLawFit? Of(IReadOnlyList<(double N, double Value)> points)
    {
        var usable = points.Where(p => p.N > 0 && p.Value > 0 && double.IsFinite(p.N) && double.IsFinite(p.Value))
            .Select(p => (X: Math.Log10(p.N), Y: Math.Log10(p.Value))).ToArray();
        if (usable.Select(p => p.X).Distinct().Count() < 2) return null;
        double mx = usable.Average(p => p.X), my = usable.Average(p => p.Y);
        double sxx = usable.Sum(p => (p.X - mx) * (p.X - mx)), sxy = usable.Sum(p => (p.X - mx) * (p.Y - my));
        double slope = sxy / sxx;
        return new PowerLawFit(slope, my - slope * mx, usable.Length);
    }

    /// <summary>The fitted error at <paramref name="n"/>.</summary>
    public double At(double n) => Math.Pow(10, Log10Prefactor + Slope * Math.Log10(n));
}
