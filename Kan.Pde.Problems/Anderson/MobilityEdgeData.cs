namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// Labelled eigenstates of many chains of one family: per state its features, its fractal dimension D,
/// the label "extended" (D &gt; 0.5), what the analytic mobility edge says, and which chain it came from.
/// </summary>
public sealed class MobilityEdgeData
{
    private MobilityEdgeData(ChainFamily family, int size, LatticeBoundary boundary, double[] features,
        double[] dimensions, bool[] theory, int[] chains, double[][] chainParameters)
    {
        Family = family;
        Size = size;
        Boundary = boundary;
        FeatureValues = features;
        Dimensions = dimensions;
        TheoryExtended = theory;
        ChainIndex = chains;
        ChainParameters = chainParameters;
        _energyColumn = family.Features.ToList().IndexOf(ChainFamily.Energy);
    }

    private readonly int _energyColumn;

    /// <summary>The family the chains belong to.</summary>
    public ChainFamily Family { get; }

    /// <summary>N, sites per chain.</summary>
    public int Size { get; }

    /// <summary>How the chains are closed.</summary>
    public LatticeBoundary Boundary { get; }

    /// <summary>Number of labelled states.</summary>
    public int Count => Dimensions.Length;

    /// <summary>Features per state, row-major [Count, Family.Features.Count].</summary>
    public double[] FeatureValues { get; }

    /// <summary>Fractal dimension per state.</summary>
    public double[] Dimensions { get; }

    /// <summary>Per state: the analytic mobility edge calls it extended.</summary>
    public bool[] TheoryExtended { get; }

    /// <summary>Per state: index of its chain in <see cref="ChainParameters"/>.</summary>
    public int[] ChainIndex { get; }

    /// <summary>The drawn parameters of every chain.</summary>
    public double[][] ChainParameters { get; }

    /// <summary>
    /// Rebuilds a data set from its arrays (e.g. read back from a file); the chain parameters are redrawn from
    /// <paramref name="seed"/> exactly as <see cref="Generate"/> draws them.
    /// </summary>
    public static MobilityEdgeData FromArrays(ChainFamily family, int size, LatticeBoundary boundary, int seed, double[] features,
        double[] dimensions, bool[] theory, int[] chainIndex)
    {
        int count = dimensions.Length;
        if (count % size != 0 || features.Length != count * family.Features.Count || theory.Length != count || chainIndex.Length != count)
            throw new ArgumentException("the arrays do not describe whole chains of this family and size");
        var random = new Random(seed);
        var parameters = new double[count / size][];
        for (int c = 0; c < parameters.Length; c++) parameters[c] = family.Parameters.Select(r => r.Draw(random)).ToArray();
        return new MobilityEdgeData(family, size, boundary, features, dimensions, theory, chainIndex, parameters);
    }

    /// <summary>The energy E of a state.</summary>
    public double Energy(int state) => FeatureValues[state * Family.Features.Count + _energyColumn];

    /// <summary>The label: D above <see cref="LocalizationMeasures.ExtendedThreshold"/>.</summary>
    public bool Extended(int state) => Dimensions[state] > LocalizationMeasures.ExtendedThreshold;

    /// <summary>Fraction of states whose label the analytic mobility edge gets right.</summary>
    public double TheoryAccuracy()
    {
        int agree = 0;
        for (int i = 0; i < Count; i++)
            if (Extended(i) == TheoryExtended[i]) agree++;
        return (double)agree / Count;
    }

    /// <summary>Fraction of extended states.</summary>
    public double ExtendedFraction() => (double)Enumerable.Range(0, Count).Count(Extended) / Count;

    /// <summary>
    /// Draws <paramref name="chains"/> parameter sets from the family's ranges (one seeded stream, so the
    /// draws do not depend on the thread count), diagonalizes each N-site chain and keeps all its states.
    /// </summary>
    public static MobilityEdgeData Generate(ChainFamily family, int chains, int size, LatticeBoundary boundary, int seed,
        int parallelism = 1)
    {
        var random = new Random(seed);
        var parameters = new double[chains][];
        for (int c = 0; c < chains; c++) parameters[c] = family.Parameters.Select(r => r.Draw(random)).ToArray();
        return FromParameters(family, parameters, size, boundary, parallelism);
    }

    /// <summary>Diagonalizes one chain per given parameter set and keeps all states.</summary>
    public static MobilityEdgeData FromParameters(ChainFamily family, double[][] parameters, int size, LatticeBoundary boundary,
        int parallelism = 1)
    {
        int chains = parameters.Length;
        var spectra = new ChainSpectrum[chains];
        var theories = new bool[chains][];
        Parallel.For(0, chains, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, c =>
        {
            var chain = family.Build(parameters[c]);
            spectra[c] = ChainSpectrum.Of(chain, size, boundary);
            theories[c] = spectra[c].Energies.Select(chain.ExtendedByTheory).ToArray();
        });

        int d = family.Features.Count, count = chains * size;
        var features = new double[count * d];
        var dims = new double[count];
        var theory = new bool[count];
        var index = new int[count];
        for (int c = 0; c < chains; c++)
        {
            for (int s = 0; s < size; s++)
            {
                int row = c * size + s;
                family.FillFeatures(parameters[c], spectra[c].Energies[s], features.AsSpan(row * d, d));
                dims[row] = spectra[c].FractalDimensions[s];
                theory[row] = theories[c][s];
                index[row] = c;
            }
        }
        return new MobilityEdgeData(family, size, boundary, features, dims, theory, index, parameters);
    }
}
