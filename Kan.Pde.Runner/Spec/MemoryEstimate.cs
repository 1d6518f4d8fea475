namespace Kan.Pde.Runner.Spec;

/// <summary>
/// A rough upper estimate of the memory a run needs, made from the spec alone before anything is allocated, so
/// that a spec that cannot fit is refused with a message instead of being killed by the system (or aborting in the
/// native allocator) minutes later.
/// </summary>
/// <remarks>
/// The dominant cost is one training evaluation: the forward-mode pass carries, for every collocation point and
/// every layer, the spline terms of each edge for each derivative order (value, first and second derivatives:
/// order + 1 of them), the input-gradient and second-derivative jets of each node (D each), and autograd keeps
/// most of these for the backward pass, which produces as much again. Per point and KAN layer (in → out, spline
/// order k, G intervals, derivative order o) that is about in·out·(k + 1 + 3(o + 1)) scalars on the gathered path
/// or in·(o + 1)·(G + k + out) on the dense-basis path (the layer takes the cheaper, as <c>KanLayer</c> does), plus
/// in·(o + 1)·(k + 1)·2 for the local basis and D·(4·out + in) for the jets; an MLP layer needs about
/// out·(1 + 2D)·4. The total is doubled for the backward pass. Parameters count once for the values and once
/// each for the gradient, the optimizer's flat copies and its history (L-BFGS: two vectors per stored pair; Adam:
/// two moments). Measured (peak resident memory of <c>solve</c> with 2 Adam steps at 10k and at 40k random points,
/// difference per point, float64): KAN [2,10,1] G = 20 uses 12.6 kB per point, estimated 12.6 kB; MLP
/// [2,100,100,100,1] tanh uses 67 kB, estimated 96 kB. KAN [2,32,32,1] G = 5 at 100k points is estimated at 21 GB,
/// and an earlier bench measured about 21 GB. It is a guard against specs that cannot fit, not an accounting.
/// </remarks>
public static class MemoryEstimate
{
    /// <summary>The breakdown of an estimate, in bytes.</summary>
    /// <param name="Training">Temporaries of one loss + gradient evaluation on the collocation points.</param>
    /// <param name="Parameters">Parameters, gradients and optimizer state.</param>
    /// <param name="Evaluation">One first-order pass over the evaluation mesh (metrics, fields).</param>
    public sealed record Breakdown(double Training, double Parameters, double Evaluation)
    {
        /// <summary>The whole estimate.</summary>
        public double Total => Training + Parameters + Evaluation;
    }

    /// <summary>Estimates a run of <paramref name="model"/> with the given point counts.</summary>
    /// <param name="model">The network.</param>
    /// <param name="dimension">D, the number of coordinates.</param>
    /// <param name="outputs">Fields of the problem (the number of networks with separate outputs).</param>
    /// <param name="trainingPoints">Interior plus boundary collocation points (evaluated together).</param>
    /// <param name="evaluationPoints">Nodes of the evaluation mesh.</param>
    /// <param name="derivativeOrder">Highest derivative the residual needs (2 for second-order PDEs).</param>
    /// <param name="largestGrid">The largest spline grid the schedule reaches.</param>
    /// <param name="optimizerVectors">Parameter-sized vectors the optimizers keep (2 per L-BFGS pair plus a few, or 2 for Adam).</param>
    /// <param name="bytesPerScalar">8 for float64, 4 for float32.</param>
    public static Breakdown Of(ModelSpec model, int dimension, int outputs, double trainingPoints, double evaluationPoints,
        int derivativeOrder, int largestGrid, int optimizerVectors, int bytesPerScalar)
    {
        double networks = model.SeparateOutputs > 0 ? model.SeparateOutputs : 1;
        double perPointTraining = 0, perPointEvaluation = 0, parameters = 0;
        var w = model.Widths;
        for (int l = 0; l + 1 < w.Count; l++)
        {
            double i = w[l], o = w[l + 1];
            if (model.Type == ModelType.Kan)
            {
                int k = model.Kan!.Order;
                perPointTraining += KanLayer(i, o, k, largestGrid, derivativeOrder, dimension);
                perPointEvaluation += KanLayer(i, o, k, largestGrid, Math.Min(1, derivativeOrder), dimension);
                parameters += i * o * (largestGrid + k + 2);
            }
            else
            {
                perPointTraining += o * (1 + 2.0 * dimension) * 4;
                perPointEvaluation += o * (1 + 1.0 * dimension) * 4;
                parameters += i * o + o;
            }
        }
        return new Breakdown(
            Training: 2 * perPointTraining * networks * trainingPoints * bytesPerScalar,
            Parameters: parameters * networks * (4 + optimizerVectors) * bytesPerScalar,
            Evaluation: perPointEvaluation * networks * evaluationPoints * bytesPerScalar);
    }

    private static double KanLayer(double inputs, double outputs, int k, int grid, int order, int dimension)
    {
        double terms = order + 1;
        // The same choice between the gathered and the dense contraction as KanLayer.SplineTerms.
        double spline = (k + 1) * outputs <= terms * (grid + k)
            ? inputs * outputs * (k + 1 + 3 * terms)
            : inputs * terms * (grid + k + 3 * outputs);
        return spline + inputs * terms * (k + 1) * 2 + (order > 0 ? dimension * (4 * outputs + inputs) : 0);
    }

    /// <summary>The memory this process may use: the physical memory, or the container's limit when lower.</summary>
    public static long AvailableBytes()
    {
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return total > 0 ? total : long.MaxValue;
    }

    /// <summary>Bytes in a short human form, e.g. "412 GB".</summary>
    public static string Format(double bytes) => bytes switch
    {
        >= 1e12 => $"{bytes / 1e12:0.#} TB",
        >= 1e9 => $"{bytes / 1e9:0.#} GB",
        >= 1e6 => $"{bytes / 1e6:0.#} MB",
        _ => $"{bytes / 1e3:0.#} kB",
    };
}
