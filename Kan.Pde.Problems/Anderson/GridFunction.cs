using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// Values on the nodes of a uniform tensor-product grid over a box (edges included, axis 0 slowest), read
/// between nodes by cubic Lagrange interpolation on the 4 (1-D) or 4×4 (2-D) nearest nodes, so that a
/// finite-difference solution can serve as a reference at arbitrary points. Interpolation error is O(h⁴).
/// </summary>
public sealed class GridFunction : IExactSolution
{
    private readonly double[] _lo;
    private readonly double[] _hi;
    private readonly int[] _nodes;
    private readonly double[] _values;

    /// <summary>Wraps nodal values; <paramref name="nodes"/>[d] ≥ 4 nodes on [lo[d], hi[d]].</summary>
    public GridFunction(IReadOnlyList<double> lo, IReadOnlyList<double> hi, IReadOnlyList<int> nodes, double[] values)
    {
        if (lo.Count != hi.Count || lo.Count != nodes.Count || lo.Count is < 1 or > 2) throw new ArgumentException("grids have 1 or 2 axes");
        if (nodes.Any(n => n < 4)) throw new ArgumentException("cubic interpolation needs at least 4 nodes per axis");
        if (values.Length != nodes.Aggregate(1, (a, b) => a * b)) throw new ArgumentException("one value per node");
        _lo = lo.ToArray();
        _hi = hi.ToArray();
        _nodes = nodes.ToArray();
        _values = values;
    }

    /// <summary>Number of axes.</summary>
    public int Dimension => _nodes.Length;

    /// <summary>Nodes per axis.</summary>
    public IReadOnlyList<int> Nodes => _nodes;

    /// <summary>Nodal values, axis 0 slowest.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <summary>Coordinate of node i along an axis.</summary>
    public double Coordinate(int axis, int i) => _lo[axis] + (_hi[axis] - _lo[axis]) * i / (_nodes[axis] - 1);

    /// <summary>The interpolated value at one point.</summary>
    public double At(ReadOnlySpan<double> point)
    {
        Span<double> wx = stackalloc double[4];
        int x0 = Stencil(0, point[0], wx);
        if (Dimension == 1)
        {
            double v = 0;
            for (int a = 0; a < 4; a++) v += wx[a] * _values[x0 + a];
            return v;
        }
        Span<double> wy = stackalloc double[4];
        int y0 = Stencil(1, point[1], wy);
        double sum = 0;
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) sum += wx[a] * wy[b] * _values[(x0 + a) * _nodes[1] + y0 + b];
        return sum;
    }

    /// <inheritdoc />
    public Tensor Value(Tensor points)
    {
        if (points.dim() != 2 || points.shape[1] != Dimension)
            throw new ArgumentException($"points must be [N, {Dimension}], got [{string.Join(", ", points.shape)}]");
        long n = points.shape[0];
        var coordinates = points.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var values = new double[n];
        for (long i = 0; i < n; i++) values[i] = At(coordinates.AsSpan((int)(i * Dimension), Dimension));
        return tensor(values, new long[] { n, 1 }, points.dtype, points.device);
    }

    /// <inheritdoc />
    public Tensor? Gradient(Tensor points) => null;

    /// <summary>First of the 4 nodes used at x and their Lagrange weights.</summary>
    private int Stencil(int axis, double x, Span<double> weights)
    {
        int n = _nodes[axis];
        double h = (_hi[axis] - _lo[axis]) / (n - 1);
        double s = (x - _lo[axis]) / h;
        int first = Math.Clamp((int)Math.Floor(s) - 1, 0, n - 4);
        double t = s - first;   // position in units of h relative to node `first`; nodes at 0, 1, 2, 3
        weights[0] = -(t - 1) * (t - 2) * (t - 3) / 6;
        weights[1] = t * (t - 2) * (t - 3) / 2;
        weights[2] = -t * (t - 1) * (t - 3) / 2;
        weights[3] = t * (t - 1) * (t - 2) / 6;
        return first;
    }
}
