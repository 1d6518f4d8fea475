using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>Classifier inputs [N, D] (features of eigenstates) and 0/1 labels [N, 1] (1 = extended).</summary>
public sealed record LabelledStates(Tensor Inputs, Tensor Labels) : IDisposable
{
    /// <summary>Number of states.</summary>
    public long Count => Inputs.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// Learning the mobility edge from data as in the KAN paper (§4.4): each eigenstate is a sample (its model
/// parameters and energy) labelled extended (D &gt; 0.5) or localized, and a KAN with its output read as the
/// logit of "extended" is trained by binary cross-entropy.
/// </summary>
public static class MobilityEdgeLearning
{
    /// <summary>
    /// The labelled states of <paramref name="data"/> as tensors: all states, or <paramref name="statesPerChain"/> drawn
    /// at random (seeded) from every chain, so that many chains fit into a training set of moderate size.
    /// </summary>
    public static LabelledStates Samples(MobilityEdgeData data, int? statesPerChain = null, int seed = 0)
    {
        int d = data.Family.Features.Count;
        var rows = new List<int>();
        if (statesPerChain is int k && k < data.Size)
        {
            var random = new Random(seed);
            for (int c = 0; c < data.ChainParameters.Length; c++)
            {
                var states = Enumerable.Range(c * data.Size, data.Size).ToArray();
                random.Shuffle(states);
                rows.AddRange(states.Take(k).Order());
            }
        }
        else rows.AddRange(Enumerable.Range(0, data.Count));
        var x = new double[rows.Count * d];
        var y = new double[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            Array.Copy(data.FeatureValues, rows[r] * d, x, r * d, d);
            y[r] = data.Extended(rows[r]) ? 1 : 0;
        }
        return new LabelledStates(tensor(x, new long[] { rows.Count, d }, ScalarType.Float64),
            tensor(y, new long[] { rows.Count, 1 }, ScalarType.Float64));
    }

    /// <summary>
    /// A KAN classifier on the raw features (no input scaling, so formulas read in physical variables): built from
    /// <paramref name="seed"/>, with every input's knots placed on the range of the training inputs.
    /// </summary>
    public static KanNetwork Classifier(IReadOnlyList<int> widths, KanOptions options, Tensor trainingInputs, int seed)
    {
        var network = new KanNetwork(widths, options, ScalarType.Float64, CPU, new Generator((ulong)seed));
        network.UpdateGridFromSamples(trainingInputs);
        return network;
    }

    /// <summary>Trains by binary cross-entropy on the logits, with an optional penalty (e.g. sparsity).</summary>
    public static TrainingResult Train(INetwork network, LabelledStates samples, IReadOnlyList<ScheduleStage> schedule,
        Func<Tensor>? penalty = null, Action<StepRecord>? progress = null)
    {
        var fit = new DataFit(network, samples.Inputs, samples.Labels, SupervisedLoss.BinaryCrossEntropy) { Penalty = penalty };
        if (progress is not null) fit.StepCompleted += progress;
        return fit.Run(schedule);
    }

    /// <summary>Fraction of states whose label the classifier gets right (logit &gt; 0 means extended).</summary>
    public static double Accuracy(INetwork network, LabelledStates samples)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return SupervisedLosses.BinaryAccuracy(network.Forward(samples.Inputs), samples.Labels);
    }

    /// <summary>Accuracy of any rule f(features) → extended on the same samples (e.g. a formula's sign).</summary>
    public static double Accuracy(Func<double[], bool> rule, LabelledStates samples)
    {
        var x = samples.Inputs.to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        var y = samples.Labels.to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        int d = (int)samples.Inputs.shape[1], right = 0;
        var row = new double[d];
        for (int n = 0; n < y.Length; n++)
        {
            Array.Copy(x, n * d, row, 0, d);
            if (rule(row) == (y[n] > 0.5)) right++;
        }
        return (double)right / y.Length;
    }
}
