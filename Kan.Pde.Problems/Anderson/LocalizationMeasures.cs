namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// How spread out a state is: the inverse participation ratio IPR = Σ|ψ_n|⁴ / (Σ|ψ_n|²)² and the fractal
/// dimension D = −log IPR / log N, which tends to 1 for a state spread over all N sites and to 0 for one on
/// a few sites.
/// </summary>
public static class LocalizationMeasures
{
    /// <summary>The fractal dimension above which a state counts as extended.</summary>
    public const double ExtendedThreshold = 0.5;

    /// <summary>IPR of the amplitudes ψ (need not be normalized).</summary>
    public static double InverseParticipationRatio(ReadOnlySpan<double> amplitudes)
    {
        double norm = 0, fourth = 0;
        foreach (double a in amplitudes)
        {
            double p = a * a;
            norm += p;
            fourth += p * p;
        }
        if (!(norm > 0)) throw new ArgumentException("the state has zero norm", nameof(amplitudes));
        return fourth / (norm * norm);
    }

    /// <summary>D = −log IPR / log N for a state on N ≥ 2 sites.</summary>
    public static double FractalDimension(double inverseParticipationRatio, int sites)
    {
        if (sites < 2) throw new ArgumentOutOfRangeException(nameof(sites), sites, "need at least 2 sites");
        return -Math.Log(inverseParticipationRatio) / Math.Log(sites);
    }

    /// <summary>D of the amplitudes ψ.</summary>
    public static double FractalDimension(ReadOnlySpan<double> amplitudes) =>
        FractalDimension(InverseParticipationRatio(amplitudes), amplitudes.Length);
}
