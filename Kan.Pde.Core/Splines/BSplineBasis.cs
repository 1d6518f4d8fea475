using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Splines;

/// <summary>
/// Batched evaluation of all B-spline basis functions of a layer (and their first and second
/// derivatives) at many points: one interval lookup, one gather of the local polynomial rows, one
/// small matmul with the powers of the local coordinate, one scatter into the dense basis.
/// Works for uniform and adaptive (non-uniform) knots alike and stays differentiable in x.
/// </summary>
public sealed class BSplineBasis : IDisposable
{
    /// <summary>Highest derivative order the tables hold.</summary>
    public const int MaxDerivative = 2;

    private readonly Tensor _knots;    // [in, K]
    private readonly Tensor _origin;   // [in, K+1]   t_j of the interval found by searchsorted
    private readonly Tensor _invWidth; // [in, K+1]   1/(t_{j+1}-t_j), 0 outside the knots
    private readonly Tensor _rows;     // [in, K+1, (D+1)·(k+1)·(k+1)]
    private readonly Tensor _index;    // [in, K+1, k+1] basis index of each local function
    // Uniform knots (every input evenly spaced, as after a grid_eps = 1 update): the local polynomials are the
    // same on every interval, so evaluation needs no table lookup at all.
    private readonly Tensor? _uniformStart;   // [in, 1]  first extended knot
    private readonly Tensor? _uniformBefore;  // [in, 1]  one spacing before it (see EvaluateWindows)
    private readonly Tensor? _uniformInvH;    // [in, 1]  1/h
    private readonly Tensor? _uniformRows;    // [in, k+1, (D+1)(k+1)]  powers of u → local values, scaled by h^-d
    private readonly Tensor? _offsets;        // [k+1]  -k..0: basis index of each local function minus the interval's
    private Tensor? _ones;                    // [in, N, 1]  u⁰ for the last N seen, kept so that powers take no fill per call

    /// <summary>Builds the lookup tables for <paramref name="grid"/> on the given device and dtype.</summary>
    public BSplineBasis(KnotGrid grid, ScalarType dtype, Device device)
    {
        Grid = grid;
        int inputs = grid.Inputs, K = grid.KnotCount, k = grid.Order, n = grid.BasisCount;
        int rowWidth = (MaxDerivative + 1) * (k + 1) * (k + 1);
        var knots = new double[inputs * K];
        var origin = new double[inputs * (K + 1)];
        var invWidth = new double[inputs * (K + 1)];
        var rows = new double[inputs * (K + 1) * rowWidth];
        var index = new long[inputs * (K + 1) * (k + 1)];
        for (int i = 0; i < inputs; i++)
        {
            var t = grid.Extended(i);
            Array.Copy(t, 0, knots, i * K, K);
            var table = LocalPolynomials.Build(t, k);
            // searchsorted(right) returns s = #knots ≤ x; s = j+1 for x in [t_j, t_{j+1}), 0 and K outside.
            for (int s = 0; s <= K; s++)
            {
                int cell = i * (K + 1) + s;
                int j = s - 1;
                bool inside = j >= 0 && j < K - 1;
                for (int r = 0; r <= k; r++)
                    index[cell * (k + 1) + r] = Math.Clamp((inside ? j : k) - k + r, 0, n - 1);
                if (!inside || !(t[j + 1] > t[j])) continue;
                double h = t[j + 1] - t[j];
                origin[cell] = t[j];
                invWidth[cell] = 1 / h;
                for (int d = 0; d <= MaxDerivative; d++)
                    for (int r = 0; r <= k; r++)
                    {
                        var poly = Differentiate(table[j][r], d, 1 / h);
                        for (int p = 0; p <= k; p++)
                            rows[cell * rowWidth + (d * (k + 1) + r) * (k + 1) + p] = poly[p];
                    }
            }
        }
        if (IsUniform(grid))
        {
            var start = new double[inputs];
            var invH = new double[inputs];
            var before = new double[inputs];
            var uniformRows = new double[inputs * (k + 1) * (MaxDerivative + 1) * (k + 1)];
            var cardinal = LocalPolynomials.Build(Enumerable.Range(0, 2 * k + 2).Select(m => (double)m).ToArray(), k)[k];
            for (int i = 0; i < inputs; i++)
            {
                start[i] = grid[i, 0];
                double h = (grid[i, K - 1] - grid[i, 0]) / (K - 1);
                invH[i] = 1 / h;
                before[i] = start[i] - h;
                for (int d = 0; d <= MaxDerivative; d++)
                    for (int r = 0; r <= k; r++)
                    {
                        var poly = Differentiate(cardinal[r], d, 1 / h);
                        for (int p = 0; p <= k; p++)
                            uniformRows[(i * (k + 1) + p) * (MaxDerivative + 1) * (k + 1) + d * (k + 1) + r] = poly[p];
                    }
            }
            _uniformStart = tensor(start, new long[] { inputs, 1 }, dtype, device).DetachFromDisposeScope();
            _uniformBefore = tensor(before, new long[] { inputs, 1 }, dtype, device).DetachFromDisposeScope();
            _uniformInvH = tensor(invH, new long[] { inputs, 1 }, dtype, device).DetachFromDisposeScope();
            _uniformRows = tensor(uniformRows, new long[] { inputs, k + 1, (MaxDerivative + 1) * (k + 1) }, dtype, device).DetachFromDisposeScope();
            _offsets = arange(-k, 1, ScalarType.Int64, device).DetachFromDisposeScope();
        }
        // The tables live as long as the grid, whatever dispose scope the caller is in.
        _knots = tensor(knots, new long[] { inputs, K }, dtype, device).DetachFromDisposeScope();
        _origin = tensor(origin, new long[] { inputs, K + 1 }, dtype, device).DetachFromDisposeScope();
        _invWidth = tensor(invWidth, new long[] { inputs, K + 1 }, dtype, device).DetachFromDisposeScope();
        _rows = tensor(rows, new long[] { inputs, K + 1, rowWidth }, dtype, device).DetachFromDisposeScope();
        _index = tensor(index, new long[] { inputs, K + 1, k + 1 }, ScalarType.Int64, device).DetachFromDisposeScope();
    }

    /// <summary>The knots these tables were built from.</summary>
    public KnotGrid Grid { get; }

    private HostSplineTable<double>? _hostDouble;
    private HostSplineTable<float>? _hostSingle;

    /// <summary>The same bases as host-memory rows (built on first use, kept as long as the grid).</summary>
    public HostSplineTable<T> Host<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return (HostSplineTable<T>)(object)(_hostDouble ??= new HostSplineTable<double>(Grid));
        if (typeof(T) == typeof(float)) return (HostSplineTable<T>)(object)(_hostSingle ??= new HostSplineTable<float>(Grid));
        throw new NotSupportedException($"no host spline table for {typeof(T).Name}");
    }

    /// <summary>
    /// Basis values at <paramref name="xT"/> [in, N] (one row per input node), as a dense tensor
    /// [in, N, derivatives+1, G+k]: slot d holds the d-th derivative with respect to x.
    /// </summary>
    public Tensor Evaluate(Tensor xT, int derivatives)
    {
        using var scope = NewDisposeScope();
        var (local, index) = EvaluateLocal(xT, derivatives);
        long inputs = local.shape[0], N = local.shape[1], orders = local.shape[2];
        var idx = index.unsqueeze(2).expand(inputs, N, orders, Grid.Order + 1);
        return zeros(new long[] { inputs, N, orders, Grid.BasisCount }, xT.dtype, xT.device)
            .scatter_add(3, idx, local).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The k+1 possibly non-zero basis functions at each point, without the zeros around them:
    /// values [in, N, derivatives+1, k+1] and their basis indices [in, N, k+1] (functions that do not
    /// exist at a point carry value 0 and a valid dummy index). Cheaper than the dense form when the
    /// coefficients can be gathered instead.
    /// </summary>
    public (Tensor Local, Tensor Index) EvaluateLocal(Tensor xT, int derivatives)
    {
        CheckArguments(xT, derivatives);
        int inputs = Grid.Inputs, k = Grid.Order, orders = derivatives + 1, n = Grid.BasisCount;
        long N = xT.shape[1];
        using var scope = NewDisposeScope();
        Tensor u, local, index;
        if (_uniformRows is not null)
        {
            // Evenly spaced knots: the same polynomials on every interval, no table lookup.
            var t = (xT - _uniformStart!) * _uniformInvH!;                // position in units of h from the first knot
            var j = t.detach().floor();
            u = t - j;
            var m = j.to(ScalarType.Int64).unsqueeze(-1) + _offsets!;     // basis index of each local function
            index = m.clamp(0, n - 1);
            // Functions outside 0..n-1 do not exist: exactly those whose index the clamp moved (a bool factor is 0 or 1).
            local = bmm(Powers(u, k), UniformRows(orders)).view(inputs, N, orders, k + 1) * index.eq(m).unsqueeze(2);
        }
        else
        {
            var s = searchsorted(_knots, xT.detach().contiguous(), right: true);            // [in, N]
            u = (xT - _origin.gather(1, s)) * _invWidth.gather(1, s);
            int used = orders * (k + 1) * (k + 1);
            var picked = _rows.narrow(2, 0, used).gather(1, s.unsqueeze(-1).expand(inputs, N, used))
                              .view(inputs, N, orders * (k + 1), k + 1);
            local = matmul(picked, Powers(u, k).unsqueeze(-1)).view(inputs, N, orders, k + 1);
            index = _index.gather(1, s.unsqueeze(-1).expand(inputs, N, k + 1));
        }
        return (local.MoveToOuterDisposeScope(), index.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// On evenly spaced knots: the k+1 local polynomial values at <paramref name="xT"/> [in, N] as [in, N, derivatives+1, 1, k+1]
    /// (ready to broadcast against [in, N, 1, out, k+1] coefficients),
    /// without zeroing the functions that do not exist, and per point the window w [in, N] (int64) such that the local
    /// functions are those of rows w … w+k of the coefficients padded with k+1 zero rows on both sides
    /// ([in, G+k + 2(k+1), out]); functions that do not exist meet zero rows. w = interval index + 1, clamped to
    /// 0 … G+2k+1 (both ends are windows of zeros). Fewer operations than <see cref="EvaluateLocal"/> plus a gather of
    /// per-function indices; null on other knots.
    /// </summary>
    internal (Tensor Local, Tensor Window)? EvaluateWindows(Tensor xT, int derivatives)
    {
        if (_uniformRows is null) return null;
        CheckArguments(xT, derivatives);
        int inputs = Grid.Inputs, k = Grid.Order, orders = derivatives + 1, n = Grid.BasisCount;
        long N = xT.shape[1];
        using var scope = NewDisposeScope();
        var t = (xT - _uniformBefore!) * _uniformInvH!;                  // one more than the position from the first knot
        // frac and truncation, not t - floor(t) and floor (one operation fewer): they agree for t ≥ 0, and t < 0 lies
        // before the first extended knot, where the window is clamped to 0 (all coefficients zero).
        var local = bmm(Powers(t.frac(), k), UniformRows(orders)).view(inputs, N, orders, 1, k + 1);
        var window = t.detach().to(ScalarType.Int64).clamp(0, n + k + 1);
        return (local.MoveToOuterDisposeScope(), window.MoveToOuterDisposeScope());
    }

    private void CheckArguments(Tensor xT, int derivatives)
    {
        if (derivatives < 0 || derivatives > MaxDerivative)
            throw new ArgumentOutOfRangeException(nameof(derivatives), $"0..{MaxDerivative} supported");
        if (xT.dim() != 2 || xT.shape[0] != Grid.Inputs)
            throw new ArgumentException($"expected points as [{Grid.Inputs}, N], got [{string.Join(", ", xT.shape)}]");
    }

    /// <summary>The uniform rows for <paramref name="orders"/> derivative slots (the whole table needs no view).</summary>
    private Tensor UniformRows(int orders) =>
        orders == MaxDerivative + 1 ? _uniformRows! : _uniformRows!.narrow(2, 0, orders * (Grid.Order + 1));

    /// <summary>True when every knot vector is evenly spaced (to rounding).</summary>
    public bool IsUniformGrid => _uniformRows is not null;

    /// <summary>
    /// 1, u, …, u^k as [in, N, k+1], with the column of ones kept between calls of the same size (training evaluates the
    /// same points again and again). Repeated products rather than one pow: pow costs transcendental calls, in nested
    /// derivatives above all.
    /// </summary>
    private Tensor Powers(Tensor u, int k)
    {
        var ones = _ones;
        if (ones is null || ones.IsInvalid || !ones.shape.SequenceEqual(u.shape) || ones.dtype != u.dtype || ones.device_type != u.device_type || ones.device_index != u.device_index)
            _ones = ones = ones_like(u).DetachFromDisposeScope();
        var powers = new Tensor[k + 1];
        powers[0] = ones;
        for (int p = 1; p <= k; p++) powers[p] = p == 1 ? u : powers[p - 1] * u;
        return stack(powers, -1);                                                          // [in, N, k+1]
    }

    private static bool IsUniform(KnotGrid grid)
    {
        for (int i = 0; i < grid.Inputs; i++)
        {
            double h = (grid[i, grid.KnotCount - 1] - grid[i, 0]) / (grid.KnotCount - 1);
            for (int m = 1; m < grid.KnotCount; m++)
                if (Math.Abs(grid[i, m] - grid[i, m - 1] - h) > 1e-12 * Math.Abs(h) + 1e-14 * Math.Abs(grid[i, m])) return false;
        }
        return true;
    }

    /// <summary>d-th derivative in x of a polynomial in u = (x - t_j)/h, given 1/h.</summary>
    private static double[] Differentiate(double[] poly, int d, double invH)
    {
        var result = (double[])poly.Clone();
        for (int step = 0; step < d; step++)
        {
            var next = new double[result.Length];
            for (int p = 1; p < result.Length; p++) next[p - 1] = p * result[p] * invH;
            result = next;
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _knots.Dispose(); _origin.Dispose(); _invWidth.Dispose(); _rows.Dispose(); _index.Dispose();
        _uniformStart?.Dispose(); _uniformBefore?.Dispose(); _uniformInvH?.Dispose(); _uniformRows?.Dispose(); _offsets?.Dispose(); _ones?.Dispose();
    }
}
