using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Splines;

/// <summary>
/// Least-squares spline coefficients for grid updates and extensions: for every input i, the c_i [n, out]
/// minimising ‖A_i c_i − Y_i‖ with A_i the basis matrix [N, n] at that input's samples.
/// </summary>
/// <remarks>
/// Solved on the host with Householder QR (MathNet, managed code) rather than libtorch's lstsq, whose LAPACK
/// path gave results that differed in the last bits between identical calls (measured: 49 of 50 repeats
/// differed), which made whole training runs irreproducible. The systems are small (n = G + k columns).
/// A rank-deficient system (a basis function with no samples under it) falls back to ridge-regularised
/// normal equations, which keep such coefficients near zero instead of blowing up.
/// </remarks>
public static class SplineFit
{
    /// <summary>Solves the batch: A [in, N, n], Y [in, N, out] → C [in, n, out] (dtype and device of A).</summary>
    public static Tensor LeastSquares(Tensor A, Tensor Y)
    {
        if (A.dim() != 3 || Y.dim() != 3 || A.shape[0] != Y.shape[0] || A.shape[1] != Y.shape[1])
            throw new ArgumentException($"expected A [in, N, n] and Y [in, N, out], got [{string.Join(", ", A.shape)}] and [{string.Join(", ", Y.shape)}]");
        int inputs = (int)A.shape[0], N = (int)A.shape[1], n = (int)A.shape[2], outputs = (int)Y.shape[2];
        var a = A.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var y = Y.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var result = new double[inputs * n * outputs];
        for (int i = 0; i < inputs; i++)
        {
            var Ai = Matrix<double>.Build.Dense(N, n, (r, c) => a[((long)i * N + r) * n + c]);
            var Yi = Matrix<double>.Build.Dense(N, outputs, (r, c) => y[((long)i * N + r) * outputs + c]);
            var Ci = Solve(Ai, Yi);
            for (int r = 0; r < n; r++)
                for (int c = 0; c < outputs; c++) result[(i * n + r) * outputs + c] = Ci[r, c];
        }
        return tensor(result, new long[] { inputs, n, outputs }, A.dtype, A.device);
    }

    private static Matrix<double> Solve(Matrix<double> A, Matrix<double> Y)
    {
        if (A.RowCount >= A.ColumnCount)
        {
            var qr = A.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            double largest = 0, smallest = double.PositiveInfinity;
            for (int d = 0; d < A.ColumnCount; d++)
            {
                double r = Math.Abs(qr.R[d, d]);
                largest = Math.Max(largest, r);
                smallest = Math.Min(smallest, r);
            }
            if (smallest > 1e-10 * largest) return qr.Solve(Y);
        }
        var gram = A.TransposeThisAndMultiply(A);
        double scale = gram.Diagonal().Maximum();
        double ridge = 1e-12 * (scale > 0 ? scale : 1);
        for (int d = 0; d < gram.RowCount; d++) gram[d, d] += ridge;
        return gram.Cholesky().Solve(A.TransposeThisAndMultiply(Y));
    }
}
