namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// The generalized Aubry–André model (GAAM; Ganeshan, Pixley and Das Sarma, PRL 114, 146601, 2015):
/// nearest-neighbour hopping t = 1 and V_n = 2λ cos θ_n / (1 − α cos θ_n), θ_n = 2π b n + φ, α ∈ (−1, 1).
/// Its mobility edge is αE = 2(1 − λ) for λ ≥ 0: states with αE &lt; 2(1 − λ) are extended.
/// </summary>
public sealed class GeneralizedAubryAndreChain : QuasiPeriodicChain
{
    /// <summary>Creates the chain.</summary>
    public GeneralizedAubryAndreChain(double alpha, double strength, double phase, double? quasiPeriodicity = null)
        : base(phase, quasiPeriodicity ?? GoldenRatio)
    {
        if (!(Math.Abs(alpha) < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must lie in (−1, 1)");
        if (!double.IsFinite(strength) || strength < 0) throw new ArgumentOutOfRangeException(nameof(strength), strength, "λ must be finite and ≥ 0");
        Alpha = alpha;
        Strength = strength;
    }

    /// <summary>α, the deformation of the cosine potential.</summary>
    public double Alpha { get; }

    /// <summary>λ, the potential strength.</summary>
    public double Strength { get; }

    /// <inheritdoc />
    public override double OnSite(int site)
    {
        double c = Math.Cos(Angle(site));
        return 2 * Strength * c / (1 - Alpha * c);
    }

    /// <inheritdoc />
    public override double Hopping(int distance) => distance == 1 ? 1 : 0;

    /// <inheritdoc />
    public override bool ExtendedByTheory(double energy) => Alpha * energy < 2 * (1 - Strength);

    /// <summary>E_c = 2(1 − λ)/α, the energy of the mobility edge; NaN at α = 0, where there is none.</summary>
    public static double EdgeEnergy(double alpha, double strength) => alpha != 0 ? 2 * (1 - strength) / alpha : double.NaN;
}
