namespace Kan.Pde.Core.Sampling;

/// <summary>
/// A stream of points in the unit cube [0, 1)^Dimension. Each call continues where the last one stopped, so
/// drawing twice gives new points (a low-discrepancy sequence goes on with its next indices, a random
/// stream with its next numbers); the same seed gives the same stream.
/// </summary>
public interface IUnitSequence
{
    /// <summary>Coordinates per point.</summary>
    int Dimension { get; }

    /// <summary>The next <paramref name="count"/> points, row-major [count · Dimension].</summary>
    double[] Next(int count);
}
