namespace Kan.Pde.Runner.Comparison;

/// <summary>Mean, sample standard deviation, minimum and maximum of one quantity over a model's seeds.</summary>
public sealed record Spread(double Mean, double Std, double Min, double Max, int Count)
{
    /// <summary>Summarises <paramref name="values"/>; any NaN (a quantity the problem lacks) makes every statistic NaN.</summary>
    public static Spread Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0 || values.Any(double.IsNaN)) return new Spread(double.NaN, double.NaN, double.NaN, double.NaN, values.Count);
        double mean = values.Sum() / values.Count;
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new Spread(mean, std, values.Min(), values.Max(), values.Count);
    }

    /// <summary>
    /// exp(mean(log v)): errors of different seeds spread over decades, so curves and scaling points average them in
    /// log space, as the log axes show them. NaN when a value is NaN or not positive.
    /// </summary>
    public static double GeometricMean(IReadOnlyList<double> values) =>
        values.Count == 0 || values.Any(v => !(v > 0) || double.IsInfinity(v)) ? double.NaN : Math.Exp(values.Average(Math.Log));
}
