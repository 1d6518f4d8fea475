namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// Anderson disorder: the box is cut into square cells of side ℓ starting at its lower corner, and each cell
/// gets an independent value uniform on [0, W] (seeded). Between neighbouring cells the value changes over a
/// width δ as a tanh step, V(x) = V₀ + Σ_k (V_k − V_{k−1})·(1 + tanh((x − a_k)/δ))/2 along each axis (a tensor
/// product of such blends in 2-D); δ = 0 gives the sharp piecewise-constant potential.
/// </summary>
/// <remarks>
/// The blend exists because a network (and a second-order finite-difference reference) resolves a smooth
/// potential at the accuracy asked of them, while the jumps of a sharp one put kinks into u'' that no smooth
/// trial function follows. With δ small against ℓ every cell still holds its own value over most of its width.
/// </remarks>
public sealed class CellDisorderPotential : IPotential
{
    private readonly double[] _origin;
    private readonly int[] _cells;
    private readonly double[] _values;   // row-major over cells, axis 0 slowest

    /// <summary>Draws the cell values for a box with lower corner <paramref name="origin"/> and side lengths <paramref name="extent"/>.</summary>
    public CellDisorderPotential(IReadOnlyList<double> origin, IReadOnlyList<double> extent, double strength, double cell,
        double smoothing, int seed)
    {
        if (origin.Count != extent.Count || origin.Count is < 1 or > 2) throw new ArgumentException("disorder is defined in 1 or 2 dimensions");
        if (!(strength >= 0) || !double.IsFinite(strength)) throw new ArgumentOutOfRangeException(nameof(strength), strength, "W must be finite and ≥ 0");
        if (!(cell > 0) || !double.IsFinite(cell)) throw new ArgumentOutOfRangeException(nameof(cell), cell, "the cell size must be positive");
        if (!(smoothing >= 0) || !(smoothing <= cell / 10)) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "the smoothing width must be in [0, cell/10]");
        _origin = origin.ToArray();
        _cells = extent.Select(e => Math.Max(1, (int)Math.Ceiling(e / cell - 1e-9))).ToArray();
        long count = _cells.Aggregate(1L, (a, b) => a * b);
        if (count > 10_000_000) throw new ArgumentException($"{count} cells are too many");
        var random = new Random(seed);
        _values = new double[count];
        for (long i = 0; i < count; i++) _values[i] = strength * random.NextDouble();
        Strength = strength;
        Cell = cell;
        Smoothing = smoothing;
        Seed = seed;
    }

    /// <summary>W: cell values are uniform on [0, W].</summary>
    public double Strength { get; }

    /// <summary>ℓ, the side of a cell.</summary>
    public double Cell { get; }

    /// <summary>δ, the width of the steps between cells.</summary>
    public double Smoothing { get; }

    /// <summary>The seed of the cell values.</summary>
    public int Seed { get; }

    /// <summary>Cells per axis.</summary>
    public IReadOnlyList<int> Cells => _cells;

    /// <summary>The drawn cell values, row-major (axis 0 slowest).</summary>
    public IReadOnlyList<double> CellValues => _values;

    /// <inheritdoc />
    public int Dimension => _origin.Length;

    /// <inheritdoc />
    public string Description =>
        $"Anderson disorder: i.i.d. uniform on [0, {Strength}] per cell of side {Cell} ({string.Join(" x ", _cells)} cells, seed {Seed}), tanh steps of width {Smoothing}";

    /// <inheritdoc />
    public double At(ReadOnlySpan<double> point)
    {
        if (point.Length != Dimension) throw new ArgumentException($"expected {Dimension} coordinates");
        Span<double> wx = stackalloc double[3];
        int x0 = Weights(0, point[0], wx, out int nx);
        if (Dimension == 1)
        {
            double v = 0;
            for (int i = 0; i < nx; i++) v += wx[i] * _values[x0 + i];
            return v;
        }
        Span<double> wy = stackalloc double[3];
        int y0 = Weights(1, point[1], wy, out int ny);
        double sum = 0;
        for (int i = 0; i < nx; i++)
            for (int j = 0; j < ny; j++) sum += wx[i] * wy[j] * _values[(x0 + i) * _cells[1] + y0 + j];
        return sum;
    }

    /// <summary>
    /// Partition-of-unity weights along one axis at coordinate x of the cells first, first+1, … (count of them):
    /// the cell of x and its neighbours. w_i = S(x − a_i) − S(x − a_{i+1}) with S(t) = (1 + tanh(t/δ))/2 and
    /// S ≡ 1 left of the first cell, 0 right of the last. Tails of cells further away are below 2e^{−2ℓ/δ}
    /// (δ ≤ ℓ/10: under 5e-9 of W) and are dropped.
    /// </summary>
    private int Weights(int axis, double x, Span<double> weights, out int count)
    {
        int n = _cells[axis];
        double s = (x - _origin[axis]) / Cell;
        int k = Math.Clamp((int)Math.Floor(s), 0, n - 1);
        if (Smoothing == 0)
        {
            weights[0] = 1;
            count = 1;
            return k;
        }
        int lo = Math.Max(0, k - 1), hi = Math.Min(n - 1, k + 1);
        count = hi - lo + 1;
        for (int i = lo; i <= hi; i++)
        {
            double left = i == 0 ? 1 : Step(x - (_origin[axis] + i * Cell));
            double right = i == n - 1 ? 0 : Step(x - (_origin[axis] + (i + 1) * Cell));
            weights[i - lo] = left - right;
        }
        return lo;
    }

    private double Step(double t) => 0.5 * (1 + Math.Tanh(t / Smoothing));
}
