using System.Diagnostics;
using System.Text.Json;
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Anderson;
using Kan.Pde.Runner.Console;
using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Setup;
using TorchSharp;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// Solves a problem that is a sequence of trainings (<see cref="IProblemSequence"/>, e.g. eigenstates found one
/// after another): member k gets a fresh network (seed + k·7919; member 0 uses the setup's), the spec's schedule,
/// points and loss weights, and sees the trained networks of the members before it. Writes
/// <c>member-k/</c> (metrics.json, history.csv, convergence.png) per member and <c>summary.json</c> with every
/// member's quantities, plus the family's figures, into one results folder.
/// </summary>
public static class SequenceSolve
{
    /// <summary>Name of the file with every member's quantities.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>Trains every member and writes the results folder; returns the exit code.</summary>
    public static int Run(RunSetup setup, IProblemSequence sequence, string outputDir, bool quiet, TextWriter output, Stopwatch wall)
    {
        var spec = setup.Spec;
        var networks = new List<INetwork>();
        var problems = new List<IPdeProblem>();
        var records = new List<RunRecord>();
        try
        {
            for (int k = 0; k < sequence.Count; k++)
            {
                var problem = sequence.Member(k, networks);
                var network = k == 0 ? setup.Network
                    : RunSetup.BuildNetwork(spec.Model, setup.Domain, spec.DType, setup.Device, new TorchSharp.torch.Generator((ulong)spec.Seed + (ulong)k * 7919));
                var trainer = new Trainer(network, problem, new ForwardModeEvaluator(network), setup.Points, setup.EvaluationPoints,
                    new LossWeights(spec.Loss.Weights));
                var progress = new ProgressDisplay(setup.Schedule.Sum(s => s.Steps), quiet, output == System.Console.Out ? null : output);
                trainer.StepCompleted += progress.Report;
                var result = trainer.Run(setup.Schedule);
                networks.Add(network);
                problems.Add(problem);
                var quantities = problem is IProblemQuantities q ? q.Quantities(network, setup.EvaluationPoints) : new Dictionary<string, double>();
                records.Add(Record(setup, problem, network, result, quantities, $"{spec.Name}-member-{k}"));
                output.WriteLine($"member {k}: " + string.Join(", ", quantities.Take(8).Select(p => $"{p.Key} {p.Value:G6}")));
            }

            string written = ResultsWriter.WriteFolder(outputDir, dir =>
            {
                for (int k = 0; k < records.Count; k++) ResultsWriter.WriteAll(Path.Combine(dir, $"member-{k}"), records[k]);
                WriteSummary(Path.Combine(dir, SummaryFile), setup, records, wall.Elapsed.TotalSeconds);
                if (problems[0] is SchrodingerProblem first)
                {
                    var energies = problems.Cast<SchrodingerProblem>().Select(p => p.Energy.ToDouble()).ToArray();
                    LocalizationFigures.SaveEigenstates(Path.Combine(dir, "eigenstates.png"), first, networks, energies, spec.Name);
                }
            });
            output.WriteLine($"{records.Count} members, {records.Sum(r => r.Metrics.TrainingSeconds):F1} s training, {wall.Elapsed.TotalSeconds:F1} s total");
            output.WriteLine($"results: {written}");
            return ExitCodes.Success;
        }
        finally
        {
            // Member 0's network belongs to the setup, which disposes it.
            foreach (var network in networks.Skip(1)) network.Dispose();
        }
    }

    private static RunRecord Record(RunSetup setup, IPdeProblem problem, INetwork network, TrainingResult result,
        IReadOnlyDictionary<string, double> quantities, string name)
    {
        var spec = setup.Spec;
        var last = result.History.Count > 0 ? result.History[^1] : null;
        var metrics = new RunMetrics
        {
            Name = name,
            ProblemFamily = spec.Problem.Family,
            Model = network.Description,
            Parameters = (int)network.ParameterCount,
            RelativeL2 = double.NaN,
            MaxAbsError = double.NaN,
            L2SquaredError = double.NaN,
            H1SquaredError = double.NaN,
            H1GradientSquaredError = double.NaN,
            Quantities = quantities,
            FinalLosses = last?.Terms ?? new Dictionary<string, double>(),
            FinalTotalLoss = last?.TotalLoss ?? double.NaN,
            WallSeconds = result.Seconds,
            TrainingSeconds = result.Seconds,
            Steps = result.History.Count,
            LossEvaluations = result.Evaluations,
            Dtype = spec.DType == TorchSharp.torch.ScalarType.Float32 ? "float32" : "float64",
            Device = setup.Device.ToString(),
            Seed = spec.Seed,
            SpecFile = spec.SourceFile,
        };
        var history = result.History.Select(h => new HistoryRow(h.Step, h.Stage, h.GridSize, h.TotalLoss, h.Terms, h.RelativeL2, h.Seconds)).ToArray();
        var changes = result.GridChanges.Select(c => new Results.GridChange(c.Step, c.FromGrid, c.ToGrid)).ToArray();
        return new RunRecord { Metrics = metrics, History = history, GridChanges = changes };
    }

    private static void WriteSummary(string path, RunSetup setup, IReadOnlyList<RunRecord> records, double wallSeconds)
    {
        var summary = new
        {
            name = setup.Spec.Name,
            problemFamily = setup.Spec.Problem.Family,
            model = setup.Network.Description,
            members = records.Select((r, k) => new
            {
                member = k,
                quantities = r.Metrics.Quantities,
                finalLosses = r.Metrics.FinalLosses,
                steps = r.Metrics.Steps,
                lossEvaluations = r.Metrics.LossEvaluations,
                trainingSeconds = r.Metrics.TrainingSeconds,
            }).ToArray(),
            trainingSeconds = records.Sum(r => r.Metrics.TrainingSeconds),
            wallSeconds,
            dtype = records.Count > 0 ? records[0].Metrics.Dtype : "float64",
            seed = setup.Spec.Seed,
            specFile = setup.Spec.SourceFile,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(summary, MetricsJson.Options) + "\n");
    }
}
