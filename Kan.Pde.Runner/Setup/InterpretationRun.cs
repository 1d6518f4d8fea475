using System.Globalization;
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Interpretation;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Symbolic;
using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Console;
using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Spec;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Setup;

/// <summary>
/// Reads a formula off a trained KAN as an <c>interpret:</c> section says: prune, snap edges to library functions
/// (fitted at the interior collocation points' activations), retrain the affine parameters, compose and tidy the formula,
/// and measure every stage against the exact solution. Only orchestration; the math is in Core.
/// </summary>
public static class InterpretationRun
{
    /// <summary>The combined training history, the report, and pictures of the network before snapping and after retraining.</summary>
    public sealed record Outcome(TrainingResult Training, InterpretationReport Report, KanDiagram Trained, KanDiagram Symbolic);

    /// <summary>Runs the interpretation of <paramref name="setup"/>'s trained network.</summary>
    public static Outcome Run(RunSetup setup, InterpretSpec spec, TrainingResult trained, bool quiet, TextWriter output)
    {
        if (InterpretableKan.Of(setup.Network) is not { } view)
            throw new UsageException($"{setup.Spec.SourceFile}: field 'model': interpretation needs a single kan network");
        if (setup.Problem.OutputDimension != 1)
            throw new UsageException($"{setup.Spec.SourceFile}: field 'interpret': interpretation supports problems with one unknown field, " +
                                     $"this one has {setup.Problem.OutputDimension}");
        var kan = view.Kan;
        var interior = setup.Points.Interior;
        var x = view.KanInputs(interior);                   // what the KAN's first layer sees
        var names = setup.Domain.Variables.ToArray();
        var outputs = setup.Problem.OutputNames;
        Tensor? exact = null;
        if (setup.Problem.Exact is { } solution)
            using (no_grad()) exact = solution.Value(setup.EvaluationPoints).detach().DetachFromDisposeScope();
        double Error() => exact is null ? double.NaN : ErrorMetrics.RelativeL2Of(setup.Network, setup.EvaluationPoints, exact);

        double trainedError = Error();
        PruningResult? pruned = null;
        if (spec.Prune is { } prune)
        {
            pruned = KanPruning.Prune(kan, x, prune.NodeThreshold, prune.EdgeThreshold);
            output.WriteLine($"pruning: {pruned.Nodes.Count} hidden node(s) and {pruned.Edges.Count} edge(s) removed" +
                             (pruned.Edges.Count > 0 ? $" ({string.Join(" ", pruned.Edges)}), relative L2 now {Error():E3}" : ""));
        }
        var trainedDiagram = view.Diagram(interior, names, outputs);

        var rules = spec.Snap.ToDictionary(r => r.Layer, r => r.Functions.Select(SymbolicLibrary.ByName).ToArray());
        var snaps = kan.AutoSymbolic(x, l => rules.TryGetValue(l, out var f) ? f : SymbolicLibrary.All, spec.MinR2);
        output.WriteLine($"snapping: {snaps.Count(s => s.Fixed)} of {snaps.Count} edge(s) fixed (R² ≥ {spec.MinR2.ToString(CultureInfo.InvariantCulture)})");
        foreach (var snap in snaps)
            output.WriteLine($"  {snap.Edge} {(snap.Fixed ? "->" : "  ")} {Describe(snap.Fit)}");
        double snappedError = Error();
        if (exact is not null) output.WriteLine($"relative L2: trained {trainedError:E3}, snapped {snappedError:E3}");

        kan.SplinesFrozen = spec.FreezeSplines;
        var stages = spec.Retrain.Select(RunSetup.BuildStage).ToArray();
        // No sparsity term here: it would pull the fitted constants away from the solution.
        var network = setup.Network;
        var trainer = new Trainer(network, setup.Problem, new ForwardModeEvaluator(network), setup.Points, setup.EvaluationPoints,
            new LossWeights(setup.Spec.Loss.Weights));
        var progress = new ProgressDisplay(stages.Sum(s => s.Steps), quiet, output == System.Console.Out ? null : output);
        trainer.StepCompleted += progress.Report;
        output.WriteLine($"retraining {kan.ParameterCount} parameters ({(spec.FreezeSplines ? "splines frozen" : "splines free")})");
        var retrained = trainer.Run(stages);
        double retrainedError = Error();

        var report = new InterpretationReport
        {
            Name = setup.Spec.Name,
            Output = outputs[0],
            Variables = names,
            TrainedRelativeL2 = trainedError,
            PrunedNodes = pruned?.Nodes.Select(n => n.ToString()).ToArray() ?? [],
            PrunedEdges = pruned?.Edges.Select(e => e.ToString()).ToArray() ?? [],
            Snaps = snaps.Select(s => new SnapReport(s.Edge.ToString(), s.Fit.Function.Name, s.Fit.R2, s.Fit.A, s.Fit.B, s.Fit.C, s.Fit.D, s.Fixed)).ToArray(),
            SnappedRelativeL2 = snappedError,
            RetrainedRelativeL2 = retrainedError,
            SplineEdges = KanFormula.SplineEdges(kan).Select(e => e.ToString()).ToArray(),
            Digits = spec.Digits,
            DropBelow = spec.DropBelow,
        };
        if (report.SplineEdges.Count == 0) report = WithFormula(report, view, setup.EvaluationPoints, exact, spec);

        var symbolicDiagram = view.Diagram(interior, names, outputs);
        var history = trained.History.Concat(retrained.History.Select(h => h with
        {
            Step = h.Step + trained.History.Count,
            Stage = h.Stage + setup.Schedule.Count,
            Seconds = h.Seconds + trained.Seconds,
            Evaluations = h.Evaluations + trained.Evaluations,
        })).ToArray();
        var combined = new TrainingResult(history, trained.GridChanges, trained.Seconds + retrained.Seconds, trained.Evaluations + retrained.Evaluations);
        return new Outcome(combined, report, trainedDiagram, symbolicDiagram);
    }

    private static InterpretationReport WithFormula(InterpretationReport report, InterpretableKan view, Tensor points, Tensor? exact, InterpretSpec spec)
    {
        var names = report.Variables;
        var full = view.Formula(names)[0];
        var tidy = full.WithoutNegligibleTerms(Sample(points, 2000), spec.DropBelow).Tidied(spec.Digits);
        // The error is measured on the printed text read back, so what users copy is what was checked.
        var printed = ExpressionParser.Parse(tidy.ToString(), names);
        return report with
        {
            Formula = tidy.ToString(),
            FormulaLatex = tidy.ToLatex(),
            FullFormula = full.ToString(),
            FormulaRelativeL2 = exact is null ? double.NaN : KanFormula.RelativeL2(printed, points, exact.select(1, 0)),
            FullFormulaRelativeL2 = exact is null ? double.NaN : KanFormula.RelativeL2(full, points, exact.select(1, 0)),
        };
    }

    /// <summary>At most <paramref name="count"/> of the points, evenly strided, as arrays.</summary>
    private static IReadOnlyList<double[]> Sample(Tensor points, int count)
    {
        var data = points.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        int n = (int)points.shape[0], d = (int)points.shape[1];
        int stride = Math.Max(1, n / count);
        var sample = new List<double[]>();
        for (int k = 0; k < n; k += stride) sample.Add(data.AsSpan(k * d, d).ToArray());
        return sample;
    }

    private static string Describe(SymbolicFit fit) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{fit.Function.Name,-8} R²={fit.R2:F8}  {fit.C:G6}*f({fit.A:G6}*x {Signed(fit.B)}) {Signed(fit.D)}");

    private static string Signed(double v) =>
        string.Create(CultureInfo.InvariantCulture, $"{(v < 0 ? '-' : '+')} {Math.Abs(v):G6}");
}
