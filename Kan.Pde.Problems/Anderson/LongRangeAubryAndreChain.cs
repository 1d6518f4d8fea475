namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// The modified Aubry–André model (MAAM; Biddle and Das Sarma, PRL 104, 070601, 2010) with exponentially
/// decaying long-range hopping H_nn' = e^{−p(|n−n'|−1)} (1 between nearest neighbours) and
/// V_n = λ cos(2π b n + φ). Its mobility edge is λ cosh p = E + e^p: states above it in energy,
/// E &gt; λ cosh p − e^p, are extended.
/// </summary>
public sealed class LongRangeAubryAndreChain : QuasiPeriodicChain
{
    // Hops smaller than this relative to the nearest-neighbour one are below double precision of H.
    private const double NegligibleHopping = 1e-18;

    /// <summary>Creates the chain.</summary>
    public LongRangeAubryAndreChain(double decay, double strength, double phase, double? quasiPeriodicity = null)
        : base(phase, quasiPeriodicity ?? GoldenRatio)
    {
        if (!double.IsFinite(decay) || decay <= 0) throw new ArgumentOutOfRangeException(nameof(decay), decay, "p must be finite and > 0");
        if (!double.IsFinite(strength) || strength < 0) throw new ArgumentOutOfRangeException(nameof(strength), strength, "λ must be finite and ≥ 0");
        Decay = decay;
        Strength = strength;
    }

    /// <summary>p, the decay rate of the hopping with distance.</summary>
    public double Decay { get; }

    /// <summary>λ, the potential amplitude.</summary>
    public double Strength { get; }

    /// <inheritdoc />
    public override double OnSite(int site) => Strength * Math.Cos(Angle(site));

    /// <inheritdoc />
    public override double Hopping(int distance) => Math.Exp(-Decay * (distance - 1));

    /// <inheritdoc />
    public override int HoppingRange(int size) =>
        (int)Math.Min(size, 1 + Math.Ceiling(-Math.Log(NegligibleHopping) / Decay));

    /// <inheritdoc />
    public override bool ExtendedByTheory(double energy) => energy > EdgeEnergy(Decay, Strength);

    /// <summary>E_c = λ cosh p − e^p, the energy of the mobility edge.</summary>
    public static double EdgeEnergy(double decay, double strength) => strength * Math.Cosh(decay) - Math.Exp(decay);
}
