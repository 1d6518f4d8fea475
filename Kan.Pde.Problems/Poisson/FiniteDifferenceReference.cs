using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Problems.Common;
using MathNet.Numerics.LinearAlgebra.Double;

namespace Kan.Pde.Problems.Poisson;

/// <summary>
/// A second-order finite-difference solution of Δu = f with Dirichlet data on a 2-D region whose boundary lies on
/// the lines of a uniform grid (boxes, and polygons such as an L shape with vertices on the grid): the five-point
/// Laplacian at every node strictly inside, boundary nodes fixed to the data, solved as one sparse system
/// (conjugate gradients on MathNet sparse storage). It serves as the reference solution where no exact
/// one is known.
/// </summary>
public static class FiniteDifferenceReference
{
    /// <summary>
    /// Solves on the grid of spacing <paramref name="h"/> over the region's bounding box. <paramref name="dirichlet"/>
    /// gives u on the boundary. Throws when a grid neighbour of an inside node lies outside the region (the boundary
    /// is not on grid lines) or the solver does not converge.
    /// </summary>
    public static GridSolution Solve(IRegion region, Expr source, Func<double, double, double> dirichlet, double h, double tolerance = 1e-12) =>
        Discretize(region, source, dirichlet, h).Solve(tolerance);

    /// <summary>
    /// Sets up the five-point system without solving it (cheap next to the solve): throws <see cref="ArgumentException"/>
    /// when the spacing does not divide the bounding box or the boundary is not on the grid's lines.
    /// </summary>
    public static FiniteDifferenceSystem Discretize(IRegion region, Expr source, Func<double, double, double> dirichlet, double h)
    {
        if (region.Dimension != 2) throw new ArgumentException("the finite-difference reference is two-dimensional");
        var box = region.Bounds.Axes;
        int nx = (int)Math.Round(box[0].Length / h) + 1, ny = (int)Math.Round(box[1].Length / h) + 1;
        if (Math.Abs((nx - 1) * h - box[0].Length) > 1e-9 * box[0].Length || Math.Abs((ny - 1) * h - box[1].Length) > 1e-9 * box[1].Length)
            throw new ArgumentException($"the spacing {h} must divide the bounding box {box[0].Length} × {box[1].Length}");
        if ((long)nx * ny > 4_000_000) throw new ArgumentException("the finite-difference grid would have more than 4 million nodes");
        double x0 = box[0].Lo, y0 = box[1].Lo, tol = 1e-9 * h;

        // Classify the nodes: unknown (inside), boundary (on the boundary: data) or outside.
        var index = new int[nx, ny];
        var values = new double[nx, ny];
        int unknowns = 0;
        var p = new double[2];
        for (int i = 0; i < nx; i++)
            for (int j = 0; j < ny; j++)
            {
                p[0] = x0 + i * h;
                p[1] = y0 + j * h;
                double s = region.SignedDistance(p);
                if (s < -tol) index[i, j] = unknowns++;
                else if (s <= tol) { index[i, j] = -1; values[i, j] = dirichlet(p[0], p[1]); }
                else { index[i, j] = -2; values[i, j] = double.NaN; }
            }

        var entries = new List<Tuple<int, int, double>>(5 * unknowns);
        var rhs = new double[unknowns];
        var point = new double[2];
        for (int i = 0; i < nx; i++)
            for (int j = 0; j < ny; j++)
            {
                int row = index[i, j];
                if (row < 0) continue;
                point[0] = x0 + i * h;
                point[1] = y0 + j * h;
                // (u_E + u_W + u_N + u_S − 4u)/h² = f, written with −1/+4 so that the matrix is positive definite.
                rhs[row] = -source.Evaluate(point) * h * h;
                entries.Add(Tuple.Create(row, row, 4.0));
                foreach (var (di, dj) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) })
                {
                    int a = i + di, b = j + dj;
                    if (a < 0 || b < 0 || a >= nx || b >= ny || index[a, b] == -2)
                        throw new ArgumentException($"the node ({x0 + a * h}, {y0 + b * h}) next to an inside node lies outside the region: its boundary is not on the lines of a grid of spacing {h}");
                    if (index[a, b] == -1) rhs[row] += values[a, b];
                    else entries.Add(Tuple.Create(row, index[a, b], -1.0));
                }
            }

        // Built from triplets at once: setting entries one by one shifts the compressed rows on every insertion.
        return new FiniteDifferenceSystem(SparseMatrix.OfIndexed(unknowns, unknowns, entries), rhs, index, values, x0, y0, h);
    }
}
