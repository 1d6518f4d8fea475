using MathNet.Numerics.LinearAlgebra;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// A one-dimensional tight-binding chain H = Σ_{n≠n'} t(|n−n'|) |n⟩⟨n'| + Σ_n V_n |n⟩⟨n| whose on-site
/// potential is quasi-periodic, V_n = V(2π b n + φ) with b irrational (the golden ratio by default).
/// Each model also states its theoretical mobility edge, so numerics can be checked against it.
/// </summary>
public abstract class QuasiPeriodicChain
{
    /// <summary>The golden ratio (1 + √5)/2, the paper's quasi-periodicity b.</summary>
    public static readonly double GoldenRatio = (1 + Math.Sqrt(5)) / 2;

    /// <summary>Creates a chain with phase φ and quasi-periodicity b.</summary>
    protected QuasiPeriodicChain(double phase, double quasiPeriodicity)
    {
        if (!double.IsFinite(phase)) throw new ArgumentOutOfRangeException(nameof(phase), phase, "must be finite");
        if (!double.IsFinite(quasiPeriodicity)) throw new ArgumentOutOfRangeException(nameof(quasiPeriodicity), quasiPeriodicity, "must be finite");
        Phase = phase;
        QuasiPeriodicity = quasiPeriodicity;
    }

    /// <summary>φ, the phase of the potential.</summary>
    public double Phase { get; }

    /// <summary>b, the (irrational) frequency of the potential.</summary>
    public double QuasiPeriodicity { get; }

    /// <summary>The angle 2π b n + φ at site n.</summary>
    protected double Angle(int site) => 2 * Math.PI * QuasiPeriodicity * site + Phase;

    /// <summary>V_n, the on-site energy of site n (0-based).</summary>
    public abstract double OnSite(int site);

    /// <summary>The hopping amplitude between sites a distance d ≥ 1 apart.</summary>
    public abstract double Hopping(int distance);

    /// <summary>Largest distance with a non-negligible hopping (1 for nearest-neighbour models).</summary>
    public virtual int HoppingRange(int size) => 1;

    /// <summary>
    /// True where the model's analytic mobility edge says a state at this energy is extended
    /// (and false where it says localized).
    /// </summary>
    public abstract bool ExtendedByTheory(double energy);

    /// <summary>The dense symmetric Hamiltonian of an N-site chain.</summary>
    public Matrix<double> Hamiltonian(int size, LatticeBoundary boundary)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "a chain needs at least 2 sites");
        var h = Matrix<double>.Build.Dense(size, size);
        for (int n = 0; n < size; n++) h[n, n] = OnSite(n);
        int range = Math.Min(HoppingRange(size), size - 1);
        for (int n = 0; n < size; n++)
        {
            for (int m = n + 1; m < size; m++)
            {
                int d = m - n;
                if (boundary == LatticeBoundary.Periodic) d = Math.Min(d, size - d);
                if (d > range) continue;
                double t = Hopping(d);
                // On a ring of two sites both ways round are the same bond; count it once.
                h[n, m] += t;
                h[m, n] += t;
            }
        }
        return h;
    }
}
