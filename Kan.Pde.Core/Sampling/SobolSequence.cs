namespace Kan.Pde.Core.Sampling;

/// <summary>
/// The Sobol low-discrepancy sequence in up to 8 dimensions, generated in Gray-code order with 52-bit
/// direction numbers (Joe and Kuo's primitive polynomials and initial numbers, 2008). Index 0 (the origin,
/// which every dimension shares) is skipped, so the stream starts at index 1 and continues from call to call.
/// </summary>
public sealed class SobolSequence : IUnitSequence
{
    private const int Bits = 52;

    // Joe–Kuo "new-joe-kuo-6.21201" rows for dimensions 2..8: degree s, coefficient word a, initial m_1..m_s.
    private static readonly (int S, int A, int[] M)[] Polynomials =
    {
        (1, 0, new[] { 1 }),
        (2, 1, new[] { 1, 3 }),
        (3, 1, new[] { 1, 3, 1 }),
        (3, 2, new[] { 1, 1, 1 }),
        (4, 1, new[] { 1, 1, 3, 3 }),
        (4, 4, new[] { 1, 3, 5, 13 }),
        (5, 2, new[] { 1, 1, 5, 5, 17 }),
    };

    /// <summary>Largest supported dimension.</summary>
    public const int MaxDimension = 8;

    private readonly long[][] _directions;   // [dim][bit] direction numbers scaled to 2^Bits
    private readonly long[] _state;
    private long _index;

    /// <summary>A sequence in <paramref name="dimension"/> coordinates, positioned at index 1.</summary>
    public SobolSequence(int dimension)
    {
        if (dimension < 1 || dimension > MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"Sobol points are available in 1 to {MaxDimension} dimensions");
        Dimension = dimension;
        _directions = new long[dimension][];
        for (int d = 0; d < dimension; d++) _directions[d] = DirectionNumbers(d);
        _state = new long[dimension];
        _index = 0;
        Skip(1);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Index of the next point in the unskipped sequence.</summary>
    public long Index => _index;

    /// <inheritdoc />
    public double[] Next(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        var result = new double[(long)count * Dimension];
        const double scale = 1.0 / (1L << Bits);
        for (int n = 0; n < count; n++)
        {
            for (int d = 0; d < Dimension; d++) result[(long)n * Dimension + d] = _state[d] * scale;
            Advance();
        }
        return result;
    }

    /// <summary>Moves past <paramref name="count"/> points without returning them.</summary>
    public void Skip(long count)
    {
        for (long n = 0; n < count; n++) Advance();
    }

    // Gray-code step: point i+1 differs from point i by the direction number of the lowest zero bit of i.
    private void Advance()
    {
        int c = System.Numerics.BitOperations.TrailingZeroCount(~_index);
        if (c >= Bits) throw new InvalidOperationException("the Sobol sequence is exhausted (2^52 points)");
        for (int d = 0; d < Dimension; d++) _state[d] ^= _directions[d][c];
        _index++;
    }

    private static long[] DirectionNumbers(int dimension)
    {
        var v = new long[Bits];
        if (dimension == 0)
        {
            // The first coordinate is the van der Corput sequence in base 2: every m_k = 1.
            for (int k = 0; k < Bits; k++) v[k] = 1L << (Bits - 1 - k);
            return v;
        }
        var (s, a, m) = Polynomials[dimension - 1];
        for (int k = 0; k < s; k++) v[k] = (long)m[k] << (Bits - 1 - k);
        for (int k = s; k < Bits; k++)
        {
            long value = v[k - s] ^ (v[k - s] >> s);
            for (int j = 1; j < s; j++)
                if (((a >> (s - 1 - j)) & 1) != 0) value ^= v[k - j];
            v[k] = value;
        }
        return v;
    }
}
