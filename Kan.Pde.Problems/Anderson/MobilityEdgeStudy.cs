using System.Diagnostics;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Interpretation;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Anderson;

/// <summary>How a trained mobility-edge classifier is read.</summary>
public enum EdgeReading
{
    /// <summary>Mosaic [2,1]: the λ edge is fixed linear before training; the learned edge curve λ*(E) is compared with theory.</summary>
    MosaicCurve,

    /// <summary>Prune, snap every edge to x or x² (the last one to x), retrain the affine parameters, expand the formula into monomials.</summary>
    Polynomial,

    /// <summary>Prune and retrain; then snap every edge to the best of a wider library (x, x², exp, cosh, …) and retrain its affine parameters.</summary>
    PruneAndSnap,
}

/// <summary>Settings of one mobility-edge study.</summary>
/// <param name="Widths">KAN widths, inputs = the family's features.</param>
/// <param name="Options">KAN options (grid, order, …).</param>
/// <param name="StatesPerChain">States drawn from every training chain (test chains keep all states).</param>
/// <param name="Schedule">Training stages of the classifier.</param>
/// <param name="Reading">How the trained network is read.</param>
/// <param name="RetrainSteps">L-BFGS steps after pruning and after snapping.</param>
/// <param name="Seed">Seed of the network and of the state draws.</param>
/// <param name="LeadingMonomial">Polynomial reading: the monomial (e.g. "alpha*E") whose coefficient is scaled to 1.</param>
public sealed record StudySettings(IReadOnlyList<int> Widths, KanOptions Options, int StatesPerChain, IReadOnlyList<ScheduleStage> Schedule,
    EdgeReading Reading, int RetrainSteps, int Seed, string? LeadingMonomial = null);

/// <summary>A snapped edge: which, to what, and how well the function matched the spline.</summary>
public sealed record SnappedEdge(string Edge, string Function, double A, double B, double C, double D, double R2);

/// <summary>The extracted formula of a study.</summary>
/// <param name="Text">The composed formula of the logit (zero on the learned mobility edge).</param>
/// <param name="Monomials">Its expansion into monomials (Polynomial reading), normalized so that the target's leading monomial has coefficient 1.</param>
/// <param name="ExpansionResidual">Relative residual of the expansion (rounding level when the formula is a polynomial).</param>
/// <param name="TestAccuracy">Accuracy of the sign of the formula on the test states.</param>
public sealed record ExtractedFormula(string Text, IReadOnlyList<Monomial> Monomials, double ExpansionResidual, double TestAccuracy);

/// <summary>Everything one study measured.</summary>
public sealed record StudyResult
{
    /// <summary>The family studied.</summary>
    public required ChainFamily Family { get; init; }

    /// <summary>Network description after training.</summary>
    public required string Model { get; init; }

    /// <summary>Training states, test states.</summary>
    public long TrainStates { get; init; }

    /// <summary>Test states (all states of the held-out chains).</summary>
    public long TestStates { get; init; }

    /// <summary>Accuracy of the analytic edge on the training and test states.</summary>
    public double TheoryTrainAccuracy { get; init; }

    /// <summary>Accuracy of the analytic edge on the test states.</summary>
    public double TheoryTestAccuracy { get; init; }

    /// <summary>Classifier accuracy on its training states.</summary>
    public double TrainAccuracy { get; init; }

    /// <summary>Classifier accuracy on the held-out chains.</summary>
    public double TestAccuracy { get; init; }

    /// <summary>Test accuracy after pruning and retraining (NaN when not pruned).</summary>
    public double PrunedTestAccuracy { get; init; } = double.NaN;

    /// <summary>Test accuracy with every edge symbolic and the affine parameters retrained (NaN when not snapped).</summary>
    public double SymbolicTestAccuracy { get; init; } = double.NaN;

    /// <summary>Edges removed by pruning.</summary>
    public IReadOnlyList<string> PrunedEdges { get; init; } = Array.Empty<string>();

    /// <summary>Edge importance (mean |φ|) of the input layer before pruning, keyed "feature→node".</summary>
    public IReadOnlyDictionary<string, double> InputEdgeImportance { get; init; } = new Dictionary<string, double>();

    /// <summary>Snapped edges.</summary>
    public IReadOnlyList<SnappedEdge> Snapped { get; init; } = Array.Empty<SnappedEdge>();

    /// <summary>The extracted formula, when the reading yields one.</summary>
    public ExtractedFormula? Formula { get; init; }

    /// <summary>The learned edge read in the analytic form (logistic fit to the classifier on the test states), when the family has one.</summary>
    public EdgeFormFit? EdgeFit { get; init; }

    /// <summary>The mosaic edge curve, for the MosaicCurve reading.</summary>
    public EdgeCurveComparison? Curve { get; init; }

    /// <summary>Loss after each training step.</summary>
    public IReadOnlyList<double> LossHistory { get; init; } = Array.Empty<double>();

    /// <summary>Seconds of training (classifier, retraining and snapping).</summary>
    public double TrainingSeconds { get; init; }
}

/// <summary>
/// One mobility-edge study (KAN paper §4.4): train a KAN classifier on labelled eigenstates, measure it on held-out
/// chains beside the analytic edge, and read the edge out of it (<see cref="EdgeReading"/>).
/// </summary>
public static class MobilityEdgeStudy
{
    /// <summary>Runs the study; <paramref name="network"/> receives the trained classifier (the caller disposes it).</summary>
    public static StudyResult Run(StudySettings settings, MobilityEdgeData train, MobilityEdgeData test, out KanNetwork network,
        Action<string>? log = null)
    {
        var family = train.Family;
        if (settings.Widths[0] != family.Features.Count) throw new ArgumentException($"{family.Name} has {family.Features.Count} features");
        var clock = Stopwatch.StartNew();
        using var trainSet = MobilityEdgeLearning.Samples(train, settings.StatesPerChain, settings.Seed);
        using var testSet = MobilityEdgeLearning.Samples(test);
        network = MobilityEdgeLearning.Classifier(settings.Widths, settings.Options, trainSet.Inputs, settings.Seed);
        var kan = network;
        if (settings.Reading == EdgeReading.MosaicCurve)
        {
            // The paper fixes the λ edge linear: localization sets in as λ grows, so start it decreasing.
            kan.FixSymbolic(new EdgeId(0, 0, 0), SymbolicFunction.X, 1, 0, -1, 0);
        }
        var losses = new List<double>();
        int total = settings.Schedule.Sum(s => s.Steps);
        var history = MobilityEdgeLearning.Train(kan, trainSet, settings.Schedule, progress: r =>
        {
            losses.Add(r.TotalLoss);
            if (r.Step % 10 == 9 || r.Step == total - 1) log?.Invoke($"{family.Name}: step {r.Step + 1}/{total} loss {r.TotalLoss:E3} ({r.Seconds:F0} s)");
        });
        var result = new StudyResult
        {
            Family = family,
            Model = kan.Description,
            TrainStates = trainSet.Count,
            TestStates = testSet.Count,
            TheoryTrainAccuracy = train.TheoryAccuracy(),
            TheoryTestAccuracy = test.TheoryAccuracy(),
            TrainAccuracy = MobilityEdgeLearning.Accuracy(kan, trainSet),
            TestAccuracy = MobilityEdgeLearning.Accuracy(kan, testSet),
            LossHistory = losses,
        };
        log?.Invoke($"{family.Name}: train accuracy {result.TrainAccuracy:P2}, test {result.TestAccuracy:P2} (theory {result.TheoryTestAccuracy:P2})");

        var edgeFit = family.Name switch
        {
            "gaam" => LearnedEdge.FitGeneralizedAubryAndre(test, LearnedEdge.Logits(kan, test)),
            "maam" => LearnedEdge.FitLongRangeAubryAndre(test, LearnedEdge.Logits(kan, test)),
            _ => null,
        };
        if (edgeFit is not null)
            log?.Invoke($"{family.Name}: learned edge as {edgeFit.Form}: " + string.Join(", ", edgeFit.Coefficients.Select(c => $"{c.Key} = {c.Value:G5}")) +
                        $" (sign agrees with the KAN on {edgeFit.Agreement:P2} of {edgeFit.States} test states; the data's labels give " +
                        string.Join(", ", edgeFit.DataCoefficients.Select(c => $"{c.Key} = {c.Value:G5}")) + ")");
        result = result with { EdgeFit = edgeFit };
        result = settings.Reading switch
        {
            EdgeReading.MosaicCurve => result with { Curve = MosaicEdgeCurve.Compare(kan, PeriodOf(family), test) },
            EdgeReading.Polynomial => Interpret(result, kan, settings, trainSet, testSet, family, polynomial: true, log),
            EdgeReading.PruneAndSnap => Interpret(result, kan, settings, trainSet, testSet, family, polynomial: false, log),
            _ => result,
        };
        return result with { TrainingSeconds = clock.Elapsed.TotalSeconds };
    }

    private static StudyResult Interpret(StudyResult result, KanNetwork kan, StudySettings settings, LabelledStates trainSet,
        LabelledStates testSet, ChainFamily family, bool polynomial, Action<string>? log)
    {
        var features = family.Features;
        var importance = KanImportance.Compute(kan, trainSet.Inputs);
        var inputImportance = new Dictionary<string, double>();
        for (int i = 0; i < features.Count; i++)
            for (int j = 0; j < settings.Widths[1]; j++) inputImportance[$"{features[i]}->h{j}"] = importance.Edge(new EdgeId(0, i, j));

        // An input edge whose activation hardly varies over the data is a constant the next layer can absorb (the paper
        // finds φ unused): mask input edges whose spread is under a tenth of the layer's largest. Mean |φ| (the
        // importance score) would keep such an edge for its offset alone.
        var spreads = new double[features.Count, settings.Widths[1]];
        for (int i = 0; i < features.Count; i++)
            for (int j = 0; j < settings.Widths[1]; j++)
            {
                var values = kan.EdgeSamples(new EdgeId(0, i, j), trainSet.Inputs).Values;
                double mean = values.Average();
                spreads[i, j] = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            }
        double widest = spreads.Cast<double>().Max();
        var flat = new List<EdgeId>();
        using (no_grad())
            for (int i = 0; i < features.Count; i++)
                for (int j = 0; j < settings.Widths[1]; j++)
                    if (spreads[i, j] < 0.1 * widest)
                    {
                        kan.Layers[0].Mask[i, j] = 0;
                        flat.Add(new EdgeId(0, i, j));
                    }
        double threshold = 0.02 * Enumerable.Range(0, kan.Layers.Count).Min(importance.LayerMax);
        var nodes = KanPruning.Prune(kan, trainSet.Inputs, nodeThreshold: threshold, edgeThreshold: 0);
        var pruning = new PruningResult(nodes.Nodes, flat.Concat(nodes.Edges).ToArray());
        var retrain = new[] { new ScheduleStage(OptimizerKind.Lbfgs, settings.RetrainSteps, null, Array.Empty<int>()) };
        MobilityEdgeLearning.Train(kan, trainSet, retrain);
        double pruned = MobilityEdgeLearning.Accuracy(kan, testSet);
        log?.Invoke($"{family.Name}: pruned {pruning.Edges.Count} edges ({string.Join(", ", pruning.Edges)}), test accuracy {pruned:P2}");

        var simple = new[] { SymbolicFunction.X, SymbolicFunction.Square };
        var wide = new[]
        {
            SymbolicFunction.X, SymbolicFunction.Square, SymbolicFunction.Cube, SymbolicFunction.Exp, SymbolicFunction.Cosh,
            SymbolicFunction.Sin, SymbolicFunction.Tanh, SymbolicFunction.Sigmoid,
        };
        int last = kan.Layers.Count - 1;
        var snaps = kan.AutoSymbolic(trainSet.Inputs,
            l => polynomial ? (l == last ? new[] { SymbolicFunction.X } : simple) : (l == last ? new[] { SymbolicFunction.X } : wide),
            minR2: double.NegativeInfinity);
        kan.SplinesFrozen = true;
        MobilityEdgeLearning.Train(kan, trainSet, retrain);
        double symbolic = MobilityEdgeLearning.Accuracy(kan, testSet);
        var snapped = snaps.Where(s => s.Fixed).Select(s =>
        {
            var layer = kan.Layers[s.Edge.Layer];
            var (a, b, c, d) = layer.Symbolic.AffineOf(s.Edge.Input, s.Edge.Output);
            string from = s.Edge.Layer == 0 ? features[s.Edge.Input] : $"h{s.Edge.Layer}.{s.Edge.Input}";
            return new SnappedEdge($"{from}->{(s.Edge.Layer == last ? "logit" : $"h{s.Edge.Layer + 1}.{s.Edge.Output}")}",
                s.Fit.Function.Name, a, b, c, d, s.Fit.R2);
        }).ToArray();
        log?.Invoke($"{family.Name}: snapped {snapped.Length} edges, symbolic test accuracy {symbolic:P2}");

        var formula = KanFormula.Compose(kan, features)[0];
        double formulaAccuracy = MobilityEdgeLearning.Accuracy(row => formula.Evaluate(row) > 0, testSet);
        IReadOnlyList<Monomial> monomials = Array.Empty<Monomial>();
        double residual = double.NaN;
        if (polynomial)
        {
            int degree = 1;
            for (int l = 0; l < kan.Layers.Count; l++)
                degree *= snaps.Any(s => s.Fixed && s.Edge.Layer == l && s.Fit.Function == SymbolicFunction.Square) ? 2 : 1;
            var ranges = Ranges(trainSet.Inputs);
            var expansion = PolynomialExpansion.Fit(formula.Evaluate, features, ranges, degree);
            residual = expansion.RelativeResidual;
            // Scale so that the target's product term has coefficient 1 (the zero set is what the classifier fixes).
            double lead = settings.LeadingMonomial is { } name ? expansion[name] : 1;
            monomials = expansion.Monomials
                .Select(m => m with { Coefficient = lead != 0 ? m.Coefficient / lead : m.Coefficient })
                .ToArray();
        }
        return result with
        {
            PrunedTestAccuracy = pruned,
            SymbolicTestAccuracy = symbolic,
            PrunedEdges = pruning.Edges.Select(e => e.ToString()).ToArray(),
            InputEdgeImportance = inputImportance,
            Snapped = snapped,
            Formula = new ExtractedFormula(formula.Tidied(4).ToString(), monomials, residual, formulaAccuracy),
        };
    }

    private static IReadOnlyList<(double Lo, double Hi)> Ranges(Tensor inputs)
    {
        using var noGrad = no_grad();
        var lo = inputs.amin(0).data<double>().ToArray();
        var hi = inputs.amax(0).data<double>().ToArray();
        return lo.Zip(hi, (a, b) => (a, b)).ToArray();
    }

    private static int PeriodOf(ChainFamily family) =>
        family.Name.StartsWith("mosaic-k", StringComparison.Ordinal) ? int.Parse(family.Name["mosaic-k".Length..]) : throw new ArgumentException("not a mosaic family");
}
