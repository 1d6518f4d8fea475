namespace Kan.Pde.Core.Symbolic;

/// <summary>
/// Settings of <see cref="SymbolicFitter"/>. The search runs on inputs rescaled to t ∈ [−1, 1], where the argument is
/// α·t + β; the ranges below are in those units, so they do not depend on the scale of the data.
/// </summary>
public sealed record SymbolicFitOptions
{
    /// <summary>Largest |α| searched (α·t + β with t ∈ [−1, 1]); 10 covers about three periods of sin over the data.</summary>
    public double MaxScale { get; init; } = 10;

    /// <summary>Largest |β| searched (periodic functions search one period instead).</summary>
    public double MaxShift { get; init; } = 10;

    /// <summary>Coarse grid steps per searched axis.</summary>
    public int CoarseSteps { get; init; } = 41;

    /// <summary>Best coarse cells that are refined.</summary>
    public int Candidates { get; init; } = 4;

    /// <summary>Zoom levels of the coarse-to-fine search, each with a 9×9 (or 9-point) grid at 2.5× finer spacing.</summary>
    public int Refinements { get; init; } = 3;

    /// <summary>At most this many samples (evenly chosen) are used in the grid search; the final polish uses all.</summary>
    public int SearchSamples { get; init; } = 200;

    /// <summary>Gauss–Newton/Levenberg–Marquardt iterations that polish (a, b, c, d) on all samples.</summary>
    public int PolishIterations { get; init; } = 100;

    /// <summary>Weight of <see cref="SymbolicFunction.Complexity"/> in <see cref="SymbolicFitter.Score"/>.</summary>
    public double ComplexityWeight { get; init; } = 0.5;

    /// <summary>
    /// Quality is counted in "nines" of R² (−log10(1 − R²)) up to this many; beyond it, fits count as equally exact
    /// and the simpler function wins.
    /// </summary>
    public double MaxNines { get; init; } = 8;

    /// <summary>The defaults.</summary>
    public static SymbolicFitOptions Default { get; } = new();
}
