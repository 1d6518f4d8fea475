using Kan.Pde.Core.Networks;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>A learned mobility-edge curve λ*(E) beside the analytic one.</summary>
/// <param name="Energies">E where the curves are compared (energies of states near the analytic edge, in the data's range).</param>
/// <param name="Learned">λ*(E) of the classifier: where its logit crosses zero.</param>
/// <param name="Theory">λ(E) = 2/|f_κ(E)| of the analytic edge.</param>
/// <param name="MaxRelativeDeviation">max |λ* − λ| / λ over the compared energies.</param>
/// <param name="MeanRelativeDeviation">mean |λ* − λ| / λ.</param>
/// <param name="FittedConstant">c of λ|f_κ(E)| = c that fits the learned curve best (least squares in λ; the theory has c = 2).</param>
/// <param name="ShareWithin5Percent">Share of the compared energies where |λ* − λ| / λ ≤ 5 %.</param>
public sealed record EdgeCurveComparison(double[] Energies, double[] Learned, double[] Theory, double MaxRelativeDeviation,
    double MeanRelativeDeviation, double FittedConstant, double ShareWithin5Percent);

/// <summary>
/// Reads the mobility edge out of a mosaic classifier on (λ, E) whose logit is linear in λ (its λ edge fixed to a
/// linear function, as in the paper): the logit is s(E)·λ + t(E), so the learned edge is λ*(E) = −t(E)/s(E), which two
/// evaluations per energy give exactly.
/// </summary>
public static class MosaicEdgeCurve
{
    /// <summary>
    /// Compares λ*(E) with the analytic edge at the energies of the states of <paramref name="data"/> that lie within
    /// 10 % of the analytic edge and whose edge λ lies inside the sampled λ range (thinned to at most
    /// <paramref name="maxPoints"/>).
    /// </summary>
    public static EdgeCurveComparison Compare(INetwork network, int period, MobilityEdgeData data, int maxPoints = 400)
    {
        int lambdaColumn = data.Family.Features.ToList().IndexOf("lambda");
        int energyColumn = data.Family.Features.ToList().IndexOf(ChainFamily.Energy);
        if (lambdaColumn != 0 || energyColumn != 1 || data.Family.Features.Count != 2)
            throw new ArgumentException("the mosaic edge is read from a classifier on (lambda, E)");
        var range = data.Family.Parameters[data.Family.ParameterIndex("lambda")];
        var energies = new List<double>();
        for (int i = 0; i < data.Count; i++)
        {
            double lambda = data.FeatureValues[2 * i], e = data.FeatureValues[2 * i + 1];
            double f = Math.Abs(MosaicChain.EdgeFunction(period, e));
            if (!(f > 0)) continue;
            double edge = 2 / f;
            if (edge <= range.Lo || edge >= range.Hi) continue;
            if (Math.Abs(lambda - edge) <= 0.1 * edge) energies.Add(e);
        }
        if (energies.Count == 0) throw new InvalidOperationException("no states near the analytic edge inside the sampled range");
        energies.Sort();
        int stride = Math.Max(1, energies.Count / maxPoints);
        var grid = energies.Where((_, i) => i % stride == 0).ToArray();

        var learned = LearnedEdge(network, grid);
        var theory = grid.Select(e => 2 / Math.Abs(MosaicChain.EdgeFunction(period, e))).ToArray();
        var deviations = learned.Zip(theory, (l, t) => Math.Abs(l - t) / t).ToArray();
        // λ* ≈ c / |f(E)|: least squares for c.
        double num = 0, den = 0;
        for (int i = 0; i < grid.Length; i++)
        {
            double g = 1 / Math.Abs(MosaicChain.EdgeFunction(period, grid[i]));
            num += learned[i] * g;
            den += g * g;
        }
        return new EdgeCurveComparison(grid, learned, theory, deviations.Max(), deviations.Average(), num / den,
            (double)deviations.Count(d => d <= 0.05) / deviations.Length);
    }

    /// <summary>λ*(E) = −logit(0, E) / (logit(1, E) − logit(0, E)) for a classifier linear in λ.</summary>
    public static double[] LearnedEdge(INetwork network, IReadOnlyList<double> energies)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int n = energies.Count;
        var atZero = new double[2 * n];
        var atOne = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            atZero[2 * i + 1] = atOne[2 * i + 1] = energies[i];
            atOne[2 * i] = 1;
        }
        var l0 = network.Forward(tensor(atZero, new long[] { n, 2 }, ScalarType.Float64)).select(1, 0).data<double>().ToArray();
        var l1 = network.Forward(tensor(atOne, new long[] { n, 2 }, ScalarType.Float64)).select(1, 0).data<double>().ToArray();
        return Enumerable.Range(0, n).Select(i => -l0[i] / (l1[i] - l0[i])).ToArray();
    }
}
