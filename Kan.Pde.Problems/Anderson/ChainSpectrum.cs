using MathNet.Numerics.LinearAlgebra;

namespace Kan.Pde.Problems.Anderson;

/// <summary>All eigenstates of a finite chain: energies (ascending) with their IPR and fractal dimension.</summary>
public sealed class ChainSpectrum
{
    private ChainSpectrum(double[] energies, double[] iprs, double[] dimensions, int size)
    {
        Energies = energies;
        InverseParticipationRatios = iprs;
        FractalDimensions = dimensions;
        Size = size;
    }

    /// <summary>N, the number of sites.</summary>
    public int Size { get; }

    /// <summary>Eigenvalues E, ascending.</summary>
    public IReadOnlyList<double> Energies { get; }

    /// <summary>IPR of each eigenstate.</summary>
    public IReadOnlyList<double> InverseParticipationRatios { get; }

    /// <summary>D of each eigenstate.</summary>
    public IReadOnlyList<double> FractalDimensions { get; }

    /// <summary>Diagonalizes the chain's dense Hamiltonian (symmetric eigen-decomposition).</summary>
    public static ChainSpectrum Of(QuasiPeriodicChain chain, int size, LatticeBoundary boundary)
    {
        var evd = chain.Hamiltonian(size, boundary).Evd(Symmetricity.Symmetric);
        var vectors = evd.EigenVectors;
        var order = Enumerable.Range(0, size).OrderBy(j => evd.EigenValues[j].Real).ToArray();
        var energies = new double[size];
        var iprs = new double[size];
        var dims = new double[size];
        for (int i = 0; i < size; i++)
        {
            int j = order[i];
            energies[i] = evd.EigenValues[j].Real;
            iprs[i] = LocalizationMeasures.InverseParticipationRatio(vectors.Column(j).ToArray());
            dims[i] = LocalizationMeasures.FractalDimension(iprs[i], size);
        }
        return new ChainSpectrum(energies, iprs, dims, size);
    }
}
