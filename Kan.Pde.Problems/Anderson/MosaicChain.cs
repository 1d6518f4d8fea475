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
