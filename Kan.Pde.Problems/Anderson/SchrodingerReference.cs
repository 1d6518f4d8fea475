using MathNet.Numerics.LinearAlgebra;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// The lowest eigenpairs of −ψ'' + Vψ = Eψ on [a, b] with ψ(a) = ψ(b) = 0 from the second-order
/// finite-difference Hamiltonian (dense symmetric eigen-decomposition with MathNet), computed on grids h and
/// h/2; eigenvalues are Richardson-extrapolated to fourth order, states come from the fine grid.
/// </summary>
public static class SchrodingerReference
{
    /// <summary>One eigenstate.</summary>
    /// <param name="Energy">Extrapolated eigenvalue (4 E_{h/2} − E_h)/3.</param>
    /// <param name="EnergyCorrection">|E_{h/2} − E_h|, the size of the extrapolation step.</param>
    /// <param name="State">ψ on the fine grid, normalized to ∫ψ² = 1 (trapezoid rule) with its largest lobe positive.</param>
    public sealed record Eigenstate(double Energy, double EnergyCorrection, GridFunction State);

    /// <summary>The <paramref name="count"/> lowest eigenstates with <paramref name="nodes"/> nodes on the coarse grid.</summary>
    public static IReadOnlyList<Eigenstate> Lowest(IPotential potential, double a, double b, int nodes, int count)
    {
        if (potential.Dimension != 1) throw new ArgumentException("the eigenstate reference is one-dimensional");
        if (count < 1 || count > nodes - 2) throw new ArgumentOutOfRangeException(nameof(count));
        var (coarseEnergies, _) = Diagonalize(potential, a, b, nodes, count);
        int fine = 2 * nodes - 1;
        var (fineEnergies, fineStates) = Diagonalize(potential, a, b, fine, count);
        var result = new Eigenstate[count];
        for (int k = 0; k < count; k++)
            result[k] = new Eigenstate((4 * fineEnergies[k] - coarseEnergies[k]) / 3, Math.Abs(fineEnergies[k] - coarseEnergies[k]),
                new GridFunction(new[] { a }, new[] { b }, new[] { fine }, fineStates[k]));
        return result;
    }

    /// <summary>The lowest eigenvalues and normalized states (boundary nodes included) on one grid.</summary>
    public static (double[] Energies, double[][] States) Diagonalize(IPotential potential, double a, double b, int nodes, int count)
    {
        int n = nodes - 2;
        double h = (b - a) / (nodes - 1), c = 1 / (h * h);
        var hamiltonian = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++)
        {
            hamiltonian[i, i] = 2 * c + potential.At(new[] { a + h * (i + 1) });
            if (i + 1 < n) hamiltonian[i, i + 1] = hamiltonian[i + 1, i] = -c;
        }
        var evd = hamiltonian.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, n).OrderBy(j => evd.EigenValues[j].Real).Take(count).ToArray();
        var energies = order.Select(j => evd.EigenValues[j].Real).ToArray();
        var states = order.Select(j =>
        {
            var psi = new double[nodes];
            for (int i = 0; i < n; i++) psi[i + 1] = evd.EigenVectors[i, j];
            // Boundary values are zero, so the trapezoid rule is h Σ ψ_i².
            double norm = Math.Sqrt(h * psi.Sum(v => v * v));
            int peak = Array.IndexOf(psi, psi.MaxBy(Math.Abs));
            double sign = psi[peak] < 0 ? -1 : 1;
            for (int i = 0; i < nodes; i++) psi[i] *= sign / norm;
            return psi;
        }).ToArray();
        return (energies, states);
    }
}
