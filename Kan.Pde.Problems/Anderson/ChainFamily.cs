namespace Kan.Pde.Problems.Anderson;

/// <summary>A model parameter drawn uniformly from [Lo, Hi].</summary>
public sealed record ParameterRange(string Name, double Lo, double Hi)
{
    /// <summary>A uniform draw.</summary>
    public double Draw(Random random) => Lo + (Hi - Lo) * random.NextDouble();
}

/// <summary>
/// A family of quasi-periodic chains for mobility-edge learning: which parameters are drawn and from where,
/// how a chain is built from them, and which quantities (parameters and the energy E of an eigenstate) form
/// the features a classifier sees.
/// </summary>
public sealed class ChainFamily
{
    /// <summary>The name of the energy feature.</summary>
    public const string Energy = "E";

    private readonly Func<IReadOnlyList<double>, QuasiPeriodicChain> _build;
    private readonly Func<IReadOnlyList<double>, double[]> _edgeEnergies;
    private readonly int[] _featureSources;   // parameter index, or −1 for the energy

    private ChainFamily(string name, string description, string theory, IReadOnlyList<ParameterRange> parameters,
        IReadOnlyList<string> features, Func<IReadOnlyList<double>, QuasiPeriodicChain> build,
        Func<IReadOnlyList<double>, double[]> edgeEnergies)
    {
        Name = name;
        Description = description;
        TheoryEdge = theory;
        Parameters = parameters;
        Features = features;
        _build = build;
        _edgeEnergies = edgeEnergies;
        _featureSources = features.Select(f => f == Energy ? -1 : IndexOf(parameters, f)).ToArray();
    }

    /// <summary>Short name, e.g. "gaam".</summary>
    public string Name { get; }

    /// <summary>What the model is, in words.</summary>
    public string Description { get; }

    /// <summary>The analytic mobility edge, as text.</summary>
    public string TheoryEdge { get; }

    /// <summary>The drawn parameters with their ranges.</summary>
    public IReadOnlyList<ParameterRange> Parameters { get; }

    /// <summary>Feature names in classifier-input order (parameters and <see cref="Energy"/>).</summary>
    public IReadOnlyList<string> Features { get; }

    /// <summary>Builds the chain for parameter values in <see cref="Parameters"/> order.</summary>
    public QuasiPeriodicChain Build(IReadOnlyList<double> parameterValues)
    {
        if (parameterValues.Count != Parameters.Count)
            throw new ArgumentException($"{Name} takes {Parameters.Count} parameters, got {parameterValues.Count}");
        return _build(parameterValues);
    }

    /// <summary>
    /// The energies of the analytic mobility edge at parameter values in <see cref="Parameters"/> order, one per branch
    /// (always the same number of branches for a family), NaN where a branch does not exist at these values. A branch
    /// varies continuously with the parameters where it exists, so it can be drawn as one curve over a sweep.
    /// </summary>
    public double[] EdgeEnergies(IReadOnlyList<double> parameterValues)
    {
        if (parameterValues.Count != Parameters.Count)
            throw new ArgumentException($"{Name} takes {Parameters.Count} parameters, got {parameterValues.Count}");
        return _edgeEnergies(parameterValues);
    }

    /// <summary>Writes the features of an eigenstate of energy E into <paramref name="destination"/>.</summary>
    public void FillFeatures(IReadOnlyList<double> parameterValues, double energy, Span<double> destination)
    {
        for (int f = 0; f < _featureSources.Length; f++)
            destination[f] = _featureSources[f] < 0 ? energy : parameterValues[_featureSources[f]];
    }

    /// <summary>Index of a named parameter.</summary>
    public int ParameterIndex(string name) => IndexOf(Parameters, name);

    private static int IndexOf(IReadOnlyList<ParameterRange> parameters, string name)
    {
        for (int i = 0; i < parameters.Count; i++)
            if (parameters[i].Name == name) return i;
        throw new ArgumentException($"no parameter '{name}'");
    }

    private static readonly ParameterRange PhaseRange = new("phi", 0, 2 * Math.PI);

    /// <summary>Mosaic model with period κ; features (λ, E); φ is drawn but not a feature.</summary>
    public static ChainFamily Mosaic(int period, double maxStrength = 4) => new(
        $"mosaic-k{period}",
        $"mosaic model, kappa = {period}: t = 1, V_n = lambda cos(2 pi b n + phi) on every {period}-th site",
        period == 2 ? "λ|E| = 2" : period == 3 ? "λ|E² − 1| = 2" : $"λ|U_{period - 1}(E/2)| = 2",
        new[] { new ParameterRange("lambda", 0, maxStrength), PhaseRange },
        new[] { "lambda", Energy },
        p => new MosaicChain(period, p[0], p[1]),
        p => MosaicChain.EdgeEnergies(period, p[0]));

    /// <summary>Generalized Aubry–André model; features (α, E, λ, φ).</summary>
    public static ChainFamily GeneralizedAubryAndre(double maxAlpha = 0.8, double maxStrength = 2) => new(
        "gaam",
        "generalized Aubry-Andre model: t = 1, V_n = 2 lambda cos(theta_n) / (1 - alpha cos(theta_n))",
        "αE = 2(1 − λ)",
        new[] { new ParameterRange("alpha", -maxAlpha, maxAlpha), new ParameterRange("lambda", 0, maxStrength), PhaseRange },
        new[] { "alpha", Energy, "lambda", "phi" },
        p => new GeneralizedAubryAndreChain(p[0], p[1], p[2]),
        // The edge E = 2(1 − λ)/α has a pole at α = 0: its two sides are separate branches.
        p =>
        {
            double edge = GeneralizedAubryAndreChain.EdgeEnergy(p[0], p[1]);
            return new[] { p[0] > 0 ? edge : double.NaN, p[0] < 0 ? edge : double.NaN };
        });

    /// <summary>Modified Aubry–André model with long-range hopping; features (p, E, λ, φ).</summary>
    public static ChainFamily LongRangeAubryAndre(double minDecay = 0.5, double maxDecay = 2.5, double maxStrength = 4) => new(
        "maam",
        "modified Aubry-Andre model: hopping exp(-p (|n - n'| - 1)), V_n = lambda cos(2 pi b n + phi)",
        "λ cosh p = E + e^p",
        new[] { new ParameterRange("p", minDecay, maxDecay), new ParameterRange("lambda", 0, maxStrength), PhaseRange },
        new[] { "p", Energy, "lambda", "phi" },
        p => new LongRangeAubryAndreChain(p[0], p[1], p[2]),
        p => new[] { LongRangeAubryAndreChain.EdgeEnergy(p[0], p[1]) });
}
