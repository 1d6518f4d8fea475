using System.Diagnostics;
using Kan.Pde.Core.Runtime;
using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Setup;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>interpret SPEC.yaml [--output DIR] [--device D] [--quiet]</c>: trains like <c>solve</c>, then reads a formula off
/// the KAN (the spec's <c>interpret:</c> section, or by default: snap every edge to its best library function and
/// retrain 50 L-BFGS steps). Writes the solve results plus formula.txt, formula.tex, interpretation.json, kan.png
/// (the trained network) and kan-symbolic.png (after snapping and retraining). <c>solve</c> on a spec with an
/// <c>interpret:</c> section does the same.
/// </summary>
public static class InterpretCommand
{
    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde interpret SPEC.yaml [--output DIR] [--device cpu|cuda] [--quiet]
          SPEC.yaml      problem spec with a kan model; its 'interpret:' section says how to snap and retrain
          --output DIR   results folder (default: the spec's 'output', else results/<name>)
          --device D     cpu, cuda or cuda:N (overrides the spec)
          --quiet        no progress display
        """;

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(SolveOptions options, TextWriter output)
    {
        if (options.HelpRequested)
        {
            output.WriteLine(Usage);
            return ExitCodes.Success;
        }
        if (options.SpecPath is null) throw new UsageException("interpret needs a spec file: kan-pde interpret SPEC.yaml [--output DIR]");
        return Run(SpecLoader.Load(options.SpecPath), options, output);
    }

    /// <summary>Trains and interprets a loaded spec.</summary>
    public static int Run(SolveSpec spec, SolveOptions options, TextWriter output)
    {
        if (spec.Model.Type != ModelType.Kan)
            throw new UsageException($"{spec.SourceFile}: field 'model.type': interpretation needs a kan model, this one is mlp");
        var wall = Stopwatch.StartNew();
        string outputDir = options.Output ?? spec.Output;
        TorchRuntime.Configure(spec.Threads ?? Math.Max(1, Environment.ProcessorCount));

        using var setup = RunSetup.Build(spec, options.Device);
        output.WriteLine($"{spec.Name}: {spec.Problem.Family} in {spec.Problem.Dimension}-D, {setup.Network.Description}, " +
                         $"{setup.Network.ParameterCount} parameters, {setup.Points.Interior.shape[0]} interior + " +
                         $"{setup.Points.Boundary.shape[0]} boundary points; training, then interpretation");
        var trained = SolveCommand.Train(setup, options.Quiet, output);
        string model = setup.Network.Description;    // before snapping adds symbolic edges to it
        var outcome = InterpretationRun.Run(setup, spec.Interpret ?? InterpretSpec.Default, trained, options.Quiet, output);

        var record = SolveCommand.Summarize(setup, outcome.Training, wall.Elapsed.TotalSeconds);
        record = record with
        {
            ExtraFiles =
            [
                .. FormulaFiles.For(outcome.Report),
                new ExtraFile(KanPlotFile, path => KanPlot.Save(path, outcome.Trained, $"{spec.Name}: trained {model}")),
                new ExtraFile(SymbolicPlotFile, path => KanPlot.Save(path, outcome.Symbolic, SymbolicTitle(spec.Name, outcome.Report))),
            ],
        };
        string written = ResultsWriter.WriteAll(outputDir, record);

        var report = outcome.Report;
        if (report.Formula is null)
            output.WriteLine($"no formula: {report.SplineEdges.Count} edge(s) are still splines ({string.Join(" ", report.SplineEdges)})");
        else
        {
            output.WriteLine($"{report.Output}({string.Join(", ", report.Variables)}) = {report.Formula}");
            output.WriteLine($"formula relative L2 {report.FormulaRelativeL2:E3} (full precision {report.FullFormulaRelativeL2:E3}); " +
                             $"network relative L2 {report.RetrainedRelativeL2:E3} after retraining, {report.TrainedRelativeL2:E3} before snapping");
        }
        output.WriteLine($"{record.Metrics.Steps} steps, {record.Metrics.LossEvaluations} loss evaluations, {record.Metrics.TrainingSeconds:F1} s training, {wall.Elapsed.TotalSeconds:F1} s total");
        output.WriteLine($"results: {written}");
        return ExitCodes.Success;
    }

    /// <summary>The snapped network's title carries the formula when it is short enough to read there.</summary>
    private static string SymbolicTitle(string name, InterpretationReport report) =>
        report.Formula is { Length: <= 60 } formula
            ? $"{name}: {report.Output}({string.Join(", ", report.Variables)}) = {formula}"
            : $"{name}: snapped and retrained";

    /// <summary>File names of the two network pictures.</summary>
    public const string KanPlotFile = "kan.png", SymbolicPlotFile = "kan-symbolic.png";
}
