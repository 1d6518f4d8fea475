namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// The mosaic model (Wang et al., PRL 125, 196604, 2020): nearest-neighbour hopping t = 1 and
/// V_n = λ cos(2π b n + φ) on every κ-th site (n = 0, κ, 2κ, …), 0 on the others.
/// </summary>
/// <remarks>
/// With the potential written as λ cos (not 2λ cos as in Wang et al.), the mobility edge is
/// λ |U_{κ−1}(E/2)| = 2 with U the Chebyshev polynomial of the second kind: λ|E| = 2 for κ = 2 and
/// λ|E² − 1| = 2 for κ = 3. U_{κ−1}(E/2) is the corner element of the free transfer matrix across the κ−1
/// potential-free sites, which is how the edge arises.
/// </remarks>
public sealed class MosaicChain : QuasiPeriodicChain
{
    /// <summary>Creates the chain.</summary>
    public MosaicChain(int period, double strength, double phase, double? quasiPeriodicity = null)
        : base(phase, quasiPeriodicity ?? GoldenRatio)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "κ must be ≥ 1");
        if (!double.IsFinite(strength) || strength < 0) throw new ArgumentOutOfRangeException(nameof(strength), strength, "λ must be finite and ≥ 0");
        Period = period;
        Strength = strength;
    }

    /// <summary>κ, the spacing of the sites that carry the potential.</summary>
    public int Period { get; }

    /// <summary>λ, the amplitude of the potential.</summary>
    public double Strength { get; }

    /// <inheritdoc />
    public override double OnSite(int site) => site % Period == 0 ? Strength * Math.Cos(Angle(site)) : 0;

    /// <inheritdoc />
    public override double Hopping(int distance) => distance == 1 ? 1 : 0;

    /// <inheritdoc />
    public override bool ExtendedByTheory(double energy) => Strength * Math.Abs(EdgeFunction(Period, energy)) < 2;

    /// <summary>
    /// The energies of the mobility edge at strength λ, one per branch of λ|f_κ(E)| = 2 solved for E, NaN where a
    /// branch does not exist at this λ. κ = 2: E = +2/λ, −2/λ. κ = 3: E = +√(1 + 2/λ), +√(1 − 2/λ), −√(1 + 2/λ),
    /// −√(1 − 2/λ), the inner pair only for λ ≥ 2.
    /// </summary>
    /// <exception cref="NotSupportedException">κ other than 2 or 3 (no closed form is kept for them).</exception>
    public static double[] EdgeEnergies(int period, double strength)
    {
        if (period is not (2 or 3)) throw new NotSupportedException($"the mosaic edge energies are written out for κ = 2 and 3 only, not κ = {period}");
        if (!(strength > 0)) return period == 2 ? new[] { double.NaN, double.NaN } : new[] { double.NaN, double.NaN, double.NaN, double.NaN };
        if (period == 2) return new[] { 2 / strength, -2 / strength };
        double outer = Math.Sqrt(1 + 2 / strength);
        double inner = strength >= 2 ? Math.Sqrt(1 - 2 / strength) : double.NaN;
        return new[] { outer, inner, -outer, -inner };
    }

    /// <summary>f_κ(E) = U_{κ−1}(E/2): the mobility edge is λ|f_κ(E)| = 2.</summary>
    public static double EdgeFunction(int period, double energy)
    {
        // U_0 = 1, U_1(x) = 2x, U_{j+1} = 2x U_j − U_{j−1}; with x = E/2 the factor 2x is just E.
        double previous = 0, current = 1;
        for (int j = 1; j < period; j++)
        {
            double next = energy * current - previous;
            previous = current;
            current = next;
        }
        return current;
    }
}
