using Kan.Pde.Core.Networks;
using MathNet.Numerics.LinearAlgebra;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>
/// A mobility edge written in the analytic edge's form with fitted coefficients.
/// </summary>
/// <param name="Form">The form, e.g. "alpha*E + a*lambda + b = 0".</param>
/// <param name="Coefficients">The coefficients read from the classifier.</param>
/// <param name="Target">The analytic values of the same coefficients.</param>
/// <param name="DataCoefficients">The same form fitted to the data's own labels: where the finite chains put the edge.</param>
/// <param name="Agreement">Share of the states on which the sign of the fitted form agrees with the classifier's.</param>
/// <param name="States">Number of states the fit used.</param>
public sealed record EdgeFormFit(string Form, IReadOnlyDictionary<string, double> Coefficients, IReadOnlyDictionary<string, double> Target,
    IReadOnlyDictionary<string, double> DataCoefficients, double Agreement, int States);

/// <summary>
/// Reads where a classifier puts the mobility edge in the analytic edge's form. The form is linear in a few terms
/// (GAAM: αE, λ, 1; MAAM: E, λ cosh p, e^p, 1), so a logistic model on those terms, fitted to the classifier's own
/// probabilities σ(logit) over a data set's states, has its zero set where the classifier's is, as far as the form
/// allows. Zero crossings of the logit along E would be noisier: between the bands of a quasi-periodic spectrum the
/// classifier is unconstrained, and a crossing can sit anywhere in a gap.
/// </summary>
public static class LearnedEdge
{
    /// <summary>The classifier's logit for every state of <paramref name="data"/>.</summary>
    public static double[] Logits(INetwork network, MobilityEdgeData data)
    {
        int d = data.Family.Features.Count;
        var logits = new double[data.Count];
        const int batch = 20_000;
        using var noGrad = no_grad();
        for (int start = 0; start < data.Count; start += batch)
        {
            int rows = Math.Min(batch, data.Count - start);
            using var scope = NewDisposeScope();
            var input = tensor(data.FeatureValues.AsSpan(start * d, rows * d).ToArray(), new long[] { rows, d }, ScalarType.Float64);
            network.Forward(input).select(1, 0).data<double>().ToArray().CopyTo(logits, start);
        }
        return logits;
    }

    /// <summary>GAAM: the edge as αE + aλ + b = 0 (analytic: a = 2, b = −2).</summary>
    public static EdgeFormFit FitGeneralizedAubryAndre(MobilityEdgeData data, IReadOnlyList<double> logits)
    {
        var family = data.Family;
        int alpha = family.ParameterIndex("alpha"), lambda = family.ParameterIndex("lambda");
        var terms = Terms(data, (parameters, e) => new[] { parameters[alpha] * e, parameters[lambda], 1.0 });
        var read = (double[] w) => new Dictionary<string, double> { ["a"] = w[1] / w[0], ["b"] = w[2] / w[0] };
        return Fit("alpha*E + a*lambda + b = 0", terms, data, logits, read, new Dictionary<string, double> { ["a"] = 2, ["b"] = -2 });
    }

    /// <summary>MAAM: the edge as E = c1·λ cosh p + c2·e^p + c0 (analytic: c1 = 1, c2 = −1, c0 = 0).</summary>
    public static EdgeFormFit FitLongRangeAubryAndre(MobilityEdgeData data, IReadOnlyList<double> logits)
    {
        var family = data.Family;
        int p = family.ParameterIndex("p"), lambda = family.ParameterIndex("lambda");
        var terms = Terms(data, (parameters, e) => new[] { e, parameters[lambda] * Math.Cosh(parameters[p]), Math.Exp(parameters[p]), 1.0 });
        var read = (double[] w) => new Dictionary<string, double> { ["c1"] = -w[1] / w[0], ["c2"] = -w[2] / w[0], ["c0"] = -w[3] / w[0] };
        return Fit("E = c1*lambda*cosh(p) + c2*exp(p) + c0", terms, data, logits, read,
            new Dictionary<string, double> { ["c1"] = 1, ["c2"] = -1, ["c0"] = 0 });
    }

    private static EdgeFormFit Fit(string form, double[][] terms, MobilityEdgeData data, IReadOnlyList<double> logits,
        Func<double[], Dictionary<string, double>> read, Dictionary<string, double> target)
    {
        if (logits.Count != data.Count) throw new ArgumentException($"{logits.Count} logits for {data.Count} states");
        var probabilities = logits.Select(l => 1 / (1 + Math.Exp(-l))).ToArray();
        var weights = Logistic(terms, probabilities);
        var labels = Enumerable.Range(0, data.Count).Select(i => data.Extended(i) ? 1.0 : 0.0).ToArray();
        var dataWeights = Logistic(terms, labels);
        int agree = 0;
        for (int i = 0; i < terms.Length; i++)
            if (Dot(weights, terms[i]) > 0 == logits[i] > 0) agree++;
        return new EdgeFormFit(form, read(weights), target, read(dataWeights), (double)agree / terms.Length, terms.Length);
    }

    private static double[][] Terms(MobilityEdgeData data, Func<double[], double, double[]> terms)
    {
        int d = data.Family.Features.Count, energy = data.Family.Features.ToList().IndexOf(ChainFamily.Energy);
        return Enumerable.Range(0, data.Count)
            .Select(i => terms(data.ChainParameters[data.ChainIndex[i]], data.FeatureValues[i * d + energy]))
            .ToArray();
    }

    /// <summary>
    /// Logistic regression with soft targets: minimises the cross-entropy of σ(w·x) against targets in [0, 1] by
    /// Newton steps with step halving. With targets in the model family the minimum reproduces them exactly.
    /// </summary>
    private static double[] Logistic(double[][] x, double[] targets)
    {
        int k = x[0].Length;
        var w = new double[k];
        double loss = CrossEntropy(x, targets, w);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            var gradient = Vector<double>.Build.Dense(k);
            var hessian = Matrix<double>.Build.Dense(k, k);
            for (int n = 0; n < x.Length; n++)
            {
                double q = Sigmoid(Dot(w, x[n])), s = q * (1 - q);
                for (int a = 0; a < k; a++)
                {
                    gradient[a] += (q - targets[n]) * x[n][a];
                    for (int b = 0; b < k; b++) hessian[a, b] += s * x[n][a] * x[n][b];
                }
            }
            // A ridge far below the data's scale keeps the solve defined when the classifier is nearly a step function.
            double ridge = 1e-12 * hessian.Diagonal().Sum() + 1e-300;
            for (int a = 0; a < k; a++) hessian[a, a] += ridge;
            var step = hessian.Solve(gradient).ToArray();
            double scale = 1, next = double.PositiveInfinity;
            double[] candidate = w;
            for (int halving = 0; halving < 40; halving++, scale /= 2)
            {
                candidate = w.Select((v, a) => v - scale * step[a]).ToArray();
                next = CrossEntropy(x, targets, candidate);
                if (next <= loss) break;
            }
            if (!(next <= loss)) break;
            double change = step.Select(Math.Abs).Max() * scale, size = candidate.Select(Math.Abs).Max();
            w = candidate;
            loss = next;
            if (change <= 1e-12 * Math.Max(size, 1)) break;
        }
        return w;
    }

    private static double CrossEntropy(double[][] x, double[] targets, double[] w)
    {
        double sum = 0;
        for (int n = 0; n < x.Length; n++)
        {
            double z = Dot(w, x[n]);
            // −[t log σ(z) + (1 − t) log σ(−z)], written stably.
            sum += Math.Max(z, 0) - targets[n] * z + Math.Log(1 + Math.Exp(-Math.Abs(z)));
        }
        return sum;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double Dot(double[] w, double[] x)
    {
        double sum = 0;
        for (int i = 0; i < w.Length; i++) sum += w[i] * x[i];
        return sum;
    }
}
