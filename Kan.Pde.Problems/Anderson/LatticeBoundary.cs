namespace Kan.Pde.Problems.Anderson;

/// <summary>How a finite tight-binding chain of N sites is closed.</summary>
public enum LatticeBoundary
{
    /// <summary>Sites 0 and N−1 are ends: no hopping across them.</summary>
    Open,

    /// <summary>A ring: the hopping between n and n' uses the shorter way round, min(|n−n'|, N−|n−n'|).</summary>
    Periodic,
}
