using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Kan.Pde.Core.Splines;

/// <summary>
/// A layer's B-spline bases as per-interval polynomials in host memory, for the fused CPU kernel of a KAN layer:
/// values and derivatives up to the third (the backward pass of a second-order jet differentiates the second
/// derivative once more with respect to the layer input).
/// </summary>
/// <remarks>
/// On interval [t_j, t_{j+1}) the k+1 non-zero functions B_{j−k+r}, r = 0..k, are polynomials in
/// u = (x − t_j)/h_j. Their coefficients are stored power by power with r in vector lanes, so one Horner pass
/// evaluates all k+1 functions and, carried along (synthetic division), their derivatives. On evenly spaced knots
/// every interval has the same polynomials (the cardinal B-spline), so no per-interval table is read at all.
/// Outside the knots a spline is zero, as in <see cref="BSplineBasis"/>: the returned first index then puts every
/// local slot out of range.
/// </remarks>
public sealed unsafe class HostSplineTable<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Highest derivative order evaluated.</summary>
    public const int MaxDerivative = 3;

    private readonly T[] _knots;      // [in, K]
    private readonly T[] _origin;     // [in, K+1]   t_j of cell s = j + 1 (cells as searchsorted(right) counts knots ≤ x)
    private readonly T[] _scale;      // [in, K+1, MaxDerivative+1]   d!/h_j^d, 0 outside the knots
    private readonly T[] _rows;       // [in, K+1, k+1, Stride]   coefficient of u^p of local function r
    private readonly T[] _cardinal;   // [k+1, Stride]   the same for evenly spaced knots (every interval alike)
    private readonly bool _uniform;
    private readonly T[] _start;      // [in] first knot (evenly spaced knots)
    private readonly T[] _invH;       // [in] 1/spacing (evenly spaced knots)
    private readonly int[] _bucketCell;   // [in, Buckets] searchsorted(right) at each bucket's left end (uneven knots)
    private const int BucketsPerInterval = 4;

    /// <summary>Builds the tables of <paramref name="grid"/>.</summary>
    public HostSplineTable(KnotGrid grid)
    {
        Inputs = grid.Inputs;
        Order = grid.Order;
        BasisCount = grid.BasisCount;
        KnotCount = grid.KnotCount;
        Stride = (Order + 1 + Vector256<T>.Count - 1) / Vector256<T>.Count * Vector256<T>.Count;
        int K = KnotCount, k = Order, rowWidth = (k + 1) * Stride;
        // Pinned (pinned object heap): the kernel reads them through pointers.
        _knots = GC.AllocateArray<T>(Inputs * K, pinned: true);
        _origin = GC.AllocateArray<T>(Inputs * (K + 1), pinned: true);
        _scale = GC.AllocateArray<T>(Inputs * (K + 1) * (MaxDerivative + 1), pinned: true);
        _rows = GC.AllocateArray<T>(Inputs * (K + 1) * rowWidth, pinned: true);
        _cardinal = GC.AllocateArray<T>(rowWidth, pinned: true);
        _start = GC.AllocateArray<T>(Inputs, pinned: true);
        _invH = GC.AllocateArray<T>(Inputs, pinned: true);
        bool uniform = true;
        for (int i = 0; i < Inputs; i++)
        {
            var t = grid.Extended(i);
            for (int m = 0; m < K; m++) _knots[i * K + m] = T.CreateChecked(t[m]);
            var table = LocalPolynomials.Build(t, k);
            for (int s = 1; s < K; s++)
            {
                int j = s - 1, cell = i * (K + 1) + s;
                if (!(t[j + 1] > t[j])) continue;
                double h = t[j + 1] - t[j];
                _origin[cell] = T.CreateChecked(t[j]);
                for (int d = 0, factorial = 1; d <= MaxDerivative; d++, factorial *= Math.Max(1, d))
                    _scale[cell * (MaxDerivative + 1) + d] = T.CreateChecked(factorial / Math.Pow(h, d));
                for (int r = 0; r <= k; r++)
                    for (int p = 0; p <= k; p++)
                        _rows[cell * rowWidth + p * Stride + r] = T.CreateChecked(table[j][r][p]);
            }
            double spacing = (t[K - 1] - t[0]) / (K - 1);
            for (int m = 1; m < K; m++)
                if (Math.Abs(t[m] - t[m - 1] - spacing) > 1e-12 * Math.Abs(spacing) + 1e-14 * Math.Abs(t[m])) uniform = false;
            _start[i] = T.CreateChecked(t[0]);
            _invH[i] = T.CreateChecked(1 / spacing);
        }
        // Uneven knots: buckets of equal width over the knot span, each holding the cell at its left end, so that a
        // point's cell is found by a short forward scan instead of a binary search.
        int buckets = BucketsPerInterval * (K - 1);
        _bucketCell = GC.AllocateArray<int>(Inputs * buckets, pinned: true);
        for (int i = 0; i < Inputs; i++)
        {
            double lo = grid[i, 0], hi = grid[i, K - 1];
            int cell = 1;
            for (int b = 0; b < buckets; b++)
            {
                double left = lo + (hi - lo) * b / buckets;
                while (cell < K && grid[i, cell] <= left) cell++;
                _bucketCell[i * buckets + b] = cell;
            }
        }
        var cardinal = LocalPolynomials.Build(Enumerable.Range(0, 2 * k + 2).Select(m => (double)m).ToArray(), k)[k];
        for (int r = 0; r <= k; r++)
            for (int p = 0; p <= k; p++)
                _cardinal[p * Stride + r] = T.CreateChecked(cardinal[r][p]);
        _uniform = uniform;
    }

    /// <summary>Input nodes (one knot vector each).</summary>
    public int Inputs { get; }

    /// <summary>Spline degree k.</summary>
    public int Order { get; }

    /// <summary>Basis functions per input, G + k.</summary>
    public int BasisCount { get; }

    /// <summary>Knots per input, G + 1 + 2k.</summary>
    public int KnotCount { get; }

    /// <summary>
    /// Slots per derivative order in <see cref="Evaluate"/>'s output: k+1 rounded up to whole 256-bit vectors, so
    /// the k+1 local functions are evaluated side by side in vector lanes.
    /// </summary>
    public int Stride { get; }

    private static T* Address(T[] pinned) => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    /// <summary>
    /// The k+1 local basis functions of input <paramref name="input"/> and their derivatives 0..<paramref name="derivatives"/> − 1
    /// at <paramref name="count"/> values x[q·<paramref name="xStride"/>]: point q's values go to
    /// basis[q·derivatives·<see cref="Stride"/> + d·Stride + r], and first[q] receives the index of the basis function in local
    /// slot r = 0. Slot r is function first + r; slots outside 0..G+k−1 (all of them outside the knots) must be skipped
    /// by the caller, and their values are unspecified.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(int input, T* x, long xStride, int count, int derivatives, T* basis, int* first)
    {
        if (derivatives < 1 || derivatives > MaxDerivative + 1) throw new ArgumentOutOfRangeException(nameof(derivatives));
        int K = KnotCount, k = Order, stride = Stride, perPoint = derivatives * stride, rowWidth = (k + 1) * stride;
        int outside = -(k + 1);
        if (_uniform)
        {
            // Evenly spaced knots: the interval is floor((x − t_0)/h) and every interval has the cardinal polynomials.
            T start = _start[input], invH = _invH[input], last = T.CreateChecked(K - 1);
            T h1 = invH, h2 = T.CreateChecked(2) * invH * invH, h3 = T.CreateChecked(6) * invH * invH * invH;
            T* rows = Address(_cardinal);
            for (int q = 0; q < count; q++)
            {
                T position = (x[q * xStride] - start) * invH;
                if (!(position >= T.Zero) || position >= last) { first[q] = outside; continue; }
                T j = T.Floor(position);
                Horner(rows, position - j, k, stride, derivatives, h1, h2, h3, basis + q * perPoint);
                first[q] = int.CreateTruncating(j) - k;
            }
            return;
        }
        T* origin = Address(_origin) + input * (K + 1);
        T* scale = Address(_scale) + input * (K + 1) * (MaxDerivative + 1);
        T* rows0 = Address(_rows) + (long)input * (K + 1) * rowWidth;
        T* knots = Address(_knots) + input * K;
        int buckets = BucketsPerInterval * (K - 1);
        int* bucketCell = (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_bucketCell)) + input * buckets;
        T spanStart = knots[0], bucketScale = T.CreateChecked(buckets) / (knots[K - 1] - knots[0]);
        for (int q = 0; q < count; q++)
        {
            T xq = x[q * xStride];
            // searchsorted(right): the number of knots ≤ x, from the bucket's first cell on.
            T position = (xq - spanStart) * bucketScale;
            if (!(position >= T.Zero) || xq >= knots[K - 1]) { first[q] = outside; continue; }
            int lo = bucketCell[Math.Min(buckets - 1, int.CreateTruncating(position))];
            while (lo > 0 && knots[lo - 1] > xq) lo--;          // rounding of the bucket position
            while (lo < K && knots[lo] <= xq) lo++;
            if (lo == 0) { first[q] = outside; continue; }
            T* sc = scale + lo * (MaxDerivative + 1);
            Horner(rows0 + (long)lo * rowWidth, (xq - origin[lo]) * sc[1], k, stride, derivatives, sc[1], sc[2], sc[3], basis + q * perPoint);
            first[q] = lo - 1 - k;
        }
    }

    /// <summary>
    /// Horner's scheme carrying derivatives along (synthetic division): d0 = P(u), d1 = P'(u), d2 = P''(u)/2,
    /// d3 = P'''(u)/6, scaled to x-derivatives by s1 = 1/h, s2 = 2/h², s3 = 6/h³.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Horner(T* rows, T u, int k, int stride, int derivatives, T s1, T s2, T s3, T* output)
    {
        if (stride == Vector512<T>.Count && Vector512.IsHardwareAccelerated)
        {
            // Quartic and quintic splines in double precision: all k+1 functions in one 512-bit vector.
            var e0 = Vector512.Load(rows + k * stride);
            var e1 = Vector512<T>.Zero;
            var e2 = Vector512<T>.Zero;
            var e3 = Vector512<T>.Zero;
            for (int p = k - 1; p >= 0; p--)
            {
                e3 = e3 * u + e2;
                e2 = e2 * u + e1;
                e1 = e1 * u + e0;
                e0 = e0 * u + Vector512.Load(rows + p * stride);
            }
            e0.Store(output);
            if (derivatives > 1) (e1 * s1).Store(output + stride);
            if (derivatives > 2) (e2 * s2).Store(output + 2 * stride);
            if (derivatives > 3) (e3 * s3).Store(output + 3 * stride);
            return;
        }
        int width = Vector256<T>.Count;
        for (int lane = 0; lane < stride; lane += width)
        {
            var d0 = Vector256.Load(rows + k * stride + lane);
            var d1 = Vector256<T>.Zero;
            var d2 = Vector256<T>.Zero;
            var d3 = Vector256<T>.Zero;
            for (int p = k - 1; p >= 0; p--)
            {
                d3 = d3 * u + d2;
                d2 = d2 * u + d1;
                d1 = d1 * u + d0;
                d0 = d0 * u + Vector256.Load(rows + p * stride + lane);
            }
            d0.Store(output + lane);
            if (derivatives > 1) (d1 * s1).Store(output + stride + lane);
            if (derivatives > 2) (d2 * s2).Store(output + 2 * stride + lane);
            if (derivatives > 3) (d3 * s3).Store(output + 3 * stride + lane);
        }
    }
}
