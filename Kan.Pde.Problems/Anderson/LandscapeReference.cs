using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// Finite-difference solution of the localization landscape (−Δ + V) u = 1 in a box with u = 0 on its
/// boundary: second-order central differences on a uniform grid (3-point in 1-D, 5-point in 2-D), the
/// sparse symmetric positive-definite system (MathNet sparse storage) solved by Jacobi-preconditioned
/// conjugate gradients in 2-D and by direct tridiagonal elimination in 1-D, then Richardson-extrapolated from
/// grids h and h/2 to fourth order.
/// </summary>
public static class LandscapeReference
{
    /// <summary>The extrapolated solution on the coarse grid and the size of the extrapolation's correction.</summary>
    /// <param name="Solution">(4 u_{h/2} − u_h)/3 on the nodes of the coarse grid.</param>
    /// <param name="Correction">max |u_{h/2} − u_h| / max |u_{h/2}|: how far the plain second-order solutions are apart.</param>
    public sealed record Result(GridFunction Solution, double Correction);

    /// <summary>Solves on <paramref name="nodes"/> per axis and on twice as fine a grid, and extrapolates.</summary>
    public static Result Solve(IPotential potential, IReadOnlyList<double> lo, IReadOnlyList<double> hi, IReadOnlyList<int> nodes)
    {
        var coarse = SolveOnGrid(potential, lo, hi, nodes);
        var fineNodes = nodes.Select(n => 2 * n - 1).ToArray();
        var fine = SolveOnGrid(potential, lo, hi, fineNodes);
        var extrapolated = new double[coarse.Length];
        double maxDiff = 0, maxFine = 0;
        for (int i = 0; i < coarse.Length; i++)
        {
            int f = FineIndex(i, nodes, fineNodes);
            extrapolated[i] = (4 * fine[f] - coarse[i]) / 3;
            maxDiff = Math.Max(maxDiff, Math.Abs(fine[f] - coarse[i]));
            maxFine = Math.Max(maxFine, Math.Abs(fine[f]));
        }
        return new Result(new GridFunction(lo, hi, nodes, extrapolated), maxFine > 0 ? maxDiff / maxFine : 0);
    }

    /// <summary>The plain second-order solution on one grid (boundary nodes included, zero there).</summary>
    public static double[] SolveOnGrid(IPotential potential, IReadOnlyList<double> lo, IReadOnlyList<double> hi, IReadOnlyList<int> nodes)
    {
        int dim = nodes.Count;
        if (dim != potential.Dimension || lo.Count != dim || hi.Count != dim) throw new ArgumentException("grid and potential dimensions differ");
        if (nodes.Any(n => n < 3)) throw new ArgumentException("need at least 3 nodes per axis");
        var h = Enumerable.Range(0, dim).Select(d => (hi[d] - lo[d]) / (nodes[d] - 1)).ToArray();
        // Unknowns: interior nodes, numbered with axis 0 slowest.
        var inner = nodes.Select(n => n - 2).ToArray();
        int unknowns = inner.Aggregate(1, (a, b) => a * b);
        var entries = new List<Tuple<int, int, double>>(unknowns * (1 + 2 * dim));
        var rhs = Vector<double>.Build.Dense(unknowns, 1.0);
        var point = new double[dim];
        var index = new int[dim];
        for (int u = 0; u < unknowns; u++)
        {
            Unflatten(u, inner, index);
            for (int d = 0; d < dim; d++) point[d] = lo[d] + h[d] * (index[d] + 1);
            double diagonal = potential.At(point);
            for (int d = 0; d < dim; d++)
            {
                double c = 1 / (h[d] * h[d]);
                diagonal += 2 * c;
                int stride = Stride(inner, d);
                // Neighbours on the boundary carry u = 0 and drop out.
                if (index[d] > 0) entries.Add(Tuple.Create(u, u - stride, -c));
                if (index[d] < inner[d] - 1) entries.Add(Tuple.Create(u, u + stride, -c));
            }
            entries.Add(Tuple.Create(u, u, diagonal));
        }
        var solution = dim == 1 ? SolveTridiagonal(entries, rhs) : SolveSparse(SparseMatrix.OfIndexed(unknowns, unknowns, entries), rhs);

        var full = new double[nodes.Aggregate(1, (a, b) => a * b)];
        var fullIndex = new int[dim];
        for (int u = 0; u < unknowns; u++)
        {
            Unflatten(u, inner, index);
            for (int d = 0; d < dim; d++) fullIndex[d] = index[d] + 1;
            full[Flatten(fullIndex, nodes)] = solution[u];
        }
        return full;
    }

    /// <summary>
    /// Conjugate gradients with a Jacobi (diagonal) preconditioner on the sparse symmetric positive-definite
    /// matrix, to a relative residual of 1e-13; products use MathNet's compressed-row storage. (MathNet's own
    /// BiCGStab with ILU(0) broke down on exactly factorable 1-D systems and ran for minutes on 2-D grids of a few
    /// thousand nodes here.)
    /// </summary>
    private static Vector<double> SolveSparse(Matrix<double> matrix, Vector<double> rhs)
    {
        int n = rhs.Count;
        var inverseDiagonal = matrix.Diagonal().Map(d => 1 / d);
        var x = Vector<double>.Build.Dense(n);
        var r = rhs.Clone();
        var z = r.PointwiseMultiply(inverseDiagonal);
        var p = z.Clone();
        var ap = Vector<double>.Build.Dense(n);
        double rz = r.DotProduct(z), target = 1e-13 * rhs.L2Norm();
        for (int iteration = 0; iteration < 100_000; iteration++)
        {
            if (r.L2Norm() <= target) return x;
            matrix.Multiply(p, ap);
            double alpha = rz / p.DotProduct(ap);
            x.Add(p.Multiply(alpha), x);
            r.Subtract(ap.Multiply(alpha), r);
            r.PointwiseMultiply(inverseDiagonal, z);
            double next = r.DotProduct(z);
            p.Multiply(next / rz, p);
            p.Add(z, p);
            rz = next;
        }
        throw new InvalidOperationException("the finite-difference landscape solve did not converge in 100000 conjugate-gradient iterations");
    }

    /// <summary>Direct elimination (Thomas algorithm) of a symmetric tridiagonal system given by its entries; stable for diagonally dominant matrices.</summary>
    private static Vector<double> SolveTridiagonal(List<Tuple<int, int, double>> entries, Vector<double> rhs)
    {
        int n = rhs.Count;
        var diagonal = new double[n];
        var upper = new double[n];
        var lower = new double[n];
        foreach (var (i, j, v) in entries)
        {
            if (i == j) diagonal[i] = v;
            else if (j == i + 1) upper[i] = v;
            else lower[i] = v;
        }
        var c = new double[n];
        var d = new double[n];
        c[0] = upper[0] / diagonal[0];
        d[0] = rhs[0] / diagonal[0];
        for (int i = 1; i < n; i++)
        {
            double m = diagonal[i] - lower[i] * c[i - 1];
            c[i] = upper[i] / m;
            d[i] = (rhs[i] - lower[i] * d[i - 1]) / m;
        }
        var x = new double[n];
        x[n - 1] = d[n - 1];
        for (int i = n - 2; i >= 0; i--) x[i] = d[i] - c[i] * x[i + 1];
        return Vector<double>.Build.Dense(x);
    }

    private static int FineIndex(int coarse, IReadOnlyList<int> nodes, IReadOnlyList<int> fineNodes)
    {
        var index = new int[nodes.Count];
        Unflatten(coarse, nodes, index);
        for (int d = 0; d < index.Length; d++) index[d] *= 2;
        return Flatten(index, fineNodes);
    }

    private static int Stride(IReadOnlyList<int> sizes, int axis)
    {
        int stride = 1;
        for (int d = axis + 1; d < sizes.Count; d++) stride *= sizes[d];
        return stride;
    }

    private static void Unflatten(int flat, IReadOnlyList<int> sizes, int[] index)
    {
        for (int d = sizes.Count - 1; d >= 0; d--)
        {
            index[d] = flat % sizes[d];
            flat /= sizes[d];
        }
    }

    private static int Flatten(int[] index, IReadOnlyList<int> sizes)
    {
        int flat = 0;
        for (int d = 0; d < sizes.Count; d++) flat = flat * sizes[d] + index[d];
        return flat;
    }
}
