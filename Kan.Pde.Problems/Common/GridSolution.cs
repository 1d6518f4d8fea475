using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Common;

/// <summary>
/// A reference solution known at the nodes of a uniform 2-D grid (e.g. a finite-difference solution), evaluated
/// anywhere by bilinear interpolation. Nodes outside the domain hold NaN, so points whose cell touches the outside
/// get NaN; no gradient is available.
/// </summary>
public sealed class GridSolution : IExactSolution
{
    private readonly double[,] _values;   // [ix, iy]

    /// <summary>Values at (x0 + i·h, y0 + j·h), indexed [i, j].</summary>
    public GridSolution(double x0, double y0, double h, double[,] values)
    {
        if (!(h > 0)) throw new ArgumentException("the grid spacing must be positive");
        X0 = x0;
        Y0 = y0;
        Spacing = h;
        _values = values;
    }

    /// <summary>Grid origin x.</summary>
    public double X0 { get; }

    /// <summary>Grid origin y.</summary>
    public double Y0 { get; }

    /// <summary>Grid spacing h.</summary>
    public double Spacing { get; }

    /// <summary>The nodal values [ix, iy].</summary>
    public double[,] Values => _values;

    /// <summary>The interpolated value at (x, y).</summary>
    public double At(double x, double y)
    {
        int nx = _values.GetLength(0), ny = _values.GetLength(1);
        double fx = (x - X0) / Spacing, fy = (y - Y0) / Spacing;
        // Snap coordinates that are nodes up to rounding, so nodes never mix in NaN neighbours.
        if (Math.Abs(fx - Math.Round(fx)) < 1e-9) fx = Math.Round(fx);
        if (Math.Abs(fy - Math.Round(fy)) < 1e-9) fy = Math.Round(fy);
        if (fx < 0 || fy < 0 || fx > nx - 1 || fy > ny - 1) return double.NaN;
        int i = Math.Min((int)fx, nx - 2), j = Math.Min((int)fy, ny - 2);
        double a = fx - i, b = fy - j;
        double v00 = _values[i, j], v10 = _values[i + 1, j], v01 = _values[i, j + 1], v11 = _values[i + 1, j + 1];
        double Term(double w, double v) => w == 0 ? 0 : w * v;
        return Term((1 - a) * (1 - b), v00) + Term(a * (1 - b), v10) + Term((1 - a) * b, v01) + Term(a * b, v11);
    }

    /// <inheritdoc />
    public Tensor Value(Tensor points)
    {
        var host = points.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        long N = points.shape[0];
        var result = new double[N];
        for (long n = 0; n < N; n++) result[n] = At(host[2 * n], host[2 * n + 1]);
        return tensor(result, new long[] { N, 1 }, points.dtype, points.device);
    }

    /// <inheritdoc />
    public Tensor? Gradient(Tensor points) => null;
}
