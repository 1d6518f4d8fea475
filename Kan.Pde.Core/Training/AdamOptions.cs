namespace Kan.Pde.Core.Training;

/// <summary>Settings of <see cref="AdamOptimizer"/> (Kingma &amp; Ba 2015).</summary>
public sealed record AdamOptions
{
    /// <summary>Step size.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Decay rate of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay rate of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator so that flat directions do not blow the step up.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; init; }

    internal void Validate()
    {
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be ≥ 0 and finite");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "must be in [0, 1)");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "must be in [0, 1)");
        if (!(Epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "must be ≥ 0");
        if (!(WeightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "must be ≥ 0");
    }
}
