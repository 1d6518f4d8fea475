using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>A point of a classifier's learned mobility edge: a chain's parameters and the energy where the logit changes sign.</summary>
public sealed record EdgePoint(IReadOnlyList<double> Parameters, double Energy);

/// <summary>
/// The learned edge written in the analytic edge's form with fitted coefficients.
/// </summary>
/// <param name="Form">The form, e.g. "alpha*E + a*lambda + b = 0".</param>
/// <param name="Coefficients">Fitted coefficients by name.</param>
/// <param name="Target">The analytic values of the same coefficients.</param>
/// <param name="RSquared">R² of the fit over the edge points.</param>
/// <param name="Points">Number of edge points.</param>
/// <param name="BestFunction">Best-ranked library function for the dependence on the fitted variable (symbolic fitter), with its R².</param>
public sealed record EdgeFormFit(string Form, IReadOnlyDictionary<string, double> Coefficients, IReadOnlyDictionary<string, double> Target,
    double RSquared, int Points, string BestFunction);

/// <summary>
/// Reads where a classifier puts the mobility edge: for each chain of a data set, the energies inside the chain's
/// spectrum where the logit changes sign, and fits the analytic edge's form to them.
/// </summary>
public static class LearnedEdge
{
    /// <summary>Zero crossings of the logit along E (between the chain's lowest and highest state) for up to <paramref name="maxChains"/> chains.</summary>
    public static IReadOnlyList<EdgePoint> Points(INetwork network, MobilityEdgeData data, int probes = 400, int maxChains = 400)
    {
        var family = data.Family;
        int d = family.Features.Count, energyColumn = family.Features.ToList().IndexOf(ChainFamily.Energy);
        var points = new List<EdgePoint>();
        int chains = Math.Min(maxChains, data.ChainParameters.Length);
        for (int c = 0; c < chains; c++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int s = c * data.Size; s < (c + 1) * data.Size; s++)
            {
                double e = data.FeatureValues[s * d + energyColumn];
                lo = Math.Min(lo, e);
                hi = Math.Max(hi, e);
            }
            var features = new double[probes * d];
            for (int k = 0; k < probes; k++) family.FillFeatures(data.ChainParameters[c], lo + (hi - lo) * k / (probes - 1), features.AsSpan(k * d, d));
            double[] logits;
            using (no_grad())
            using (var input = tensor(features, new long[] { probes, d }, ScalarType.Float64))
                logits = network.Forward(input).select(1, 0).data<double>().ToArray();
            for (int k = 1; k < probes; k++)
                if (Math.Sign(logits[k]) != Math.Sign(logits[k - 1]))
                {
                    double t = logits[k - 1] / (logits[k - 1] - logits[k]);
                    points.Add(new EdgePoint(data.ChainParameters[c], lo + (hi - lo) * (k - 1 + t) / (probes - 1)));
                }
        }
        return points;
    }

    /// <summary>
    /// GAAM: fits αE_c = s·λ + t to the edge points, i.e. αE + aλ + b = 0 with a = −s, b = −t (analytic: a = 2, b = −2),
    /// and ranks library functions for αE_c as a function of λ with the symbolic fitter.
    /// </summary>
    public static EdgeFormFit FitGeneralizedAubryAndre(IReadOnlyList<EdgePoint> points, ChainFamily family)
    {
        int alpha = family.ParameterIndex("alpha"), lambda = family.ParameterIndex("lambda");
        var x = points.Select(p => p.Parameters[lambda]).ToArray();
        var y = points.Select(p => p.Parameters[alpha] * p.Energy).ToArray();
        var (coefficients, r2) = LeastSquares(points.Select(p => new[] { p.Parameters[lambda], 1.0 }).ToArray(), y);
        var best = SymbolicFitter.Rank(x, y, new[] { SymbolicFunction.X, SymbolicFunction.Square, SymbolicFunction.Exp, SymbolicFunction.Tanh, SymbolicFunction.Sin });
        return new EdgeFormFit("alpha*E + a*lambda + b = 0",
            new Dictionary<string, double> { ["a"] = -coefficients[0], ["b"] = -coefficients[1] },
            new Dictionary<string, double> { ["a"] = 2, ["b"] = -2 }, r2, points.Count, $"{best[0].Function.Name} (R² {best[0].R2:F5})");
    }

    /// <summary>MAAM: fits E_c = c₁·λ cosh p + c₂·e^p + c₀ to the edge points (analytic: c₁ = 1, c₂ = −1, c₀ = 0).</summary>
    public static EdgeFormFit FitLongRangeAubryAndre(IReadOnlyList<EdgePoint> points, ChainFamily family)
    {
        int p = family.ParameterIndex("p"), lambda = family.ParameterIndex("lambda");
        var rows = points.Select(q => new[] { q.Parameters[lambda] * Math.Cosh(q.Parameters[p]), Math.Exp(q.Parameters[p]), 1.0 }).ToArray();
        var (c, r2) = LeastSquares(rows, points.Select(q => q.Energy).ToArray());
        return new EdgeFormFit("E = c1*lambda*cosh(p) + c2*exp(p) + c0",
            new Dictionary<string, double> { ["c1"] = c[0], ["c2"] = c[1], ["c0"] = c[2] },
            new Dictionary<string, double> { ["c1"] = 1, ["c2"] = -1, ["c0"] = 0 }, r2, points.Count, "");
    }

    private static (double[] Coefficients, double RSquared) LeastSquares(double[][] rows, double[] y)
    {
        if (rows.Length < rows[0].Length) throw new InvalidOperationException("too few edge points to fit the form");
        var a = Matrix<double>.Build.DenseOfRowArrays(rows);
        var b = Vector<double>.Build.DenseOfArray(y);
        var c = a.QR().Solve(b);
        double mean = y.Average();
        double sst = y.Sum(v => (v - mean) * (v - mean)), sse = (a * c - b).Sum(r => r * r);
        return (c.ToArray(), 1 - sse / sst);
    }
}
