using Kan.Pde.Core.Networks;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// Where a classifier's logit crosses zero along E: its learned mobility edge in a phase diagram. The logit is
/// sampled on a uniform energy grid and each sign change located by linear interpolation between the two samples.
/// </summary>
public static class LogitZeroCrossings
{
    /// <summary>Energies probed per chain by <see cref="InSpectra"/>.</summary>
    public const int DefaultProbes = 400;

    /// <summary>
    /// The zeros of the piecewise-linear interpolant of <paramref name="logits"/>, sampled at E_k = lo + (hi − lo)·k/(n − 1),
    /// in increasing E: one per sign change between neighbours, and a sample that is exactly 0 once (a run of zeros
    /// counts once, at its first sample).
    /// </summary>
    public static double[] OnUniformGrid(double lo, double hi, IReadOnlyList<double> logits)
    {
        int n = logits.Count;
        if (n < 2) throw new ArgumentException($"{n} samples: at least two are needed to locate a zero");
        var zeros = new List<double>();
        if (logits[0] == 0) zeros.Add(lo);
        for (int k = 1; k < n; k++)
        {
            double previous = logits[k - 1], current = logits[k];
            if (current == 0 && previous != 0) zeros.Add(lo + (hi - lo) * k / (n - 1));
            else if (previous < 0 && current > 0 || previous > 0 && current < 0)
            {
                double t = previous / (previous - current);
                zeros.Add(lo + (hi - lo) * (k - 1 + t) / (n - 1));
            }
        }
        return zeros.ToArray();
    }

    /// <summary>
    /// The learned edge of every chain of <paramref name="data"/>: the logit's zeros along E between the lowest and
    /// highest energy of the chain's spectrum, at the chain's parameters, each paired with the chain's value of the
    /// parameter at <paramref name="parameterIndex"/> (chains in order, zeros in increasing E).
    /// </summary>
    public static (double[] Values, double[] Energies) InSpectra(INetwork network, MobilityEdgeData data, int parameterIndex,
        int probes = DefaultProbes)
    {
        var family = data.Family;
        int d = family.Features.Count;
        if (network.InputDimension != d)
            throw new ArgumentException($"the network takes {network.InputDimension} inputs, the family has {d} features");
        int chains = data.ChainParameters.Length;
        var lo = Enumerable.Repeat(double.PositiveInfinity, chains).ToArray();
        var hi = Enumerable.Repeat(double.NegativeInfinity, chains).ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            int c = data.ChainIndex[i];
            lo[c] = Math.Min(lo[c], data.Energy(i));
            hi[c] = Math.Max(hi[c], data.Energy(i));
        }

        var values = new List<double>();
        var energies = new List<double>();
        using var noGrad = no_grad();
        for (int c = 0; c < chains; c++)
        {
            if (lo[c] > hi[c]) continue;   // a chain without states
            var features = new double[probes * d];
            for (int k = 0; k < probes; k++)
                family.FillFeatures(data.ChainParameters[c], lo[c] + (hi[c] - lo[c]) * k / (probes - 1), features.AsSpan(k * d, d));
            double[] logits;
            using (NewDisposeScope())
                logits = network.Forward(tensor(features, new long[] { probes, d }, ScalarType.Float64)).select(1, 0).data<double>().ToArray();
            foreach (double e in OnUniformGrid(lo[c], hi[c], logits))
            {
                values.Add(data.ChainParameters[c][parameterIndex]);
                energies.Add(e);
            }
        }
        return (values.ToArray(), energies.ToArray());
    }
}
