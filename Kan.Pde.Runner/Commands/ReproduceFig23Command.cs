using System.Diagnostics;
using System.Globalization;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Runtime;
using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Comparison;
using Kan.Pde.Runner.Results;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>reproduce fig2.3</c>: the KAN paper's grid-extension experiment (§2.4, Fig. 2.3). KANs [2,5,1] and [2,1,1] regress
/// f(x, y) = exp(sin πx + y²) from 1000 random samples on [-1, 1]² through grids G = 3 … 1000, 200 L-BFGS steps each,
/// extending the grid between stages; train and held-out RMSE are recorded after every step and drawn, tabulated and
/// fitted against G (<see cref="Figure23"/>).
/// </summary>
public static class ReproduceFig23Command
{
    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde reproduce fig2.3 [--output DIR] [--seed N] [--quick] [--quiet]
          --output DIR   results folder (default results/fig2.3)
          --seed N       first seed of the networks' initialisation (4 starts: N, N + 7919, …, the best after 10 steps
                         is kept); the train and test samples use N + 1 and N + 2 (default 0)
          --quick        grids 3, 5, 10 with 5 steps each: a smoke test of the pipeline, not the reproduction
          --quiet        no progress lines
        """;

    /// <summary>The paper's grid sizes.</summary>
    public static IReadOnlyList<int> PaperGrids { get; } = [3, 5, 10, 20, 50, 100, 200, 500, 1000];

    /// <summary>The grid sizes of <c>--quick</c>.</summary>
    public static IReadOnlyList<int> QuickGrids { get; } = [3, 5, 10];

    /// <summary>The paper's L-BFGS steps per grid, and those of <c>--quick</c>.</summary>
    public const int PaperSteps = 200, QuickSteps = 5;

    /// <summary>Training and test samples.</summary>
    public const int TrainSamples = 1000, TestSamples = 1000;

    /// <summary>The regressed function.</summary>
    public const string Function = "exp(sin(pi*x) + y^2)";

    /// <summary>The networks, in the figure's order.</summary>
    public static IReadOnlyList<int[]> Networks { get; } = [[2, 5, 1], [2, 1, 1]];

    /// <summary>
    /// Grid updates from the samples in the first stage, before these steps: ten in the first 50 steps, as pykan's
    /// training loop does by default. Later stages start with an extension instead.
    /// </summary>
    public static IReadOnlyList<int> FirstStageGridUpdates { get; } = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45];

    /// <summary>
    /// Multi-start: initializations tried per network (seeds N, N + 7919, …, as a spec's <c>restarts</c>) and the
    /// first-grid steps each trains before the one with the lowest train RMSE is retrained from scratch.
    /// </summary>
    public const int Candidates = 4, TrialSteps = 10, CandidateSeedStride = 7919;

    private sealed record Options(string Output, int Seed, bool Quick, bool Quiet);

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        var options = Parse(args, out bool help);
        if (help)
        {
            output.WriteLine(Usage);
            return ExitCodes.Success;
        }
        TorchRuntime.Configure(1);
        var wall = Stopwatch.StartNew();
        var grids = options.Quick ? QuickGrids : PaperGrids;
        int stepsPerGrid = options.Quick ? QuickSteps : PaperSteps, trialSteps = Math.Min(TrialSteps, stepsPerGrid);
        var function = ExpressionParser.Parse(Function, ["x", "y"]);
        (double, double)[] box = [(-1, 1), (-1, 1)];
        using var train = RegressionSamples.Draw(function, box, TrainSamples, options.Seed + 1);
        using var test = RegressionSamples.Draw(function, box, TestSamples, options.Seed + 2);
        // pykan's settings: with PyTorch's default tolerances (1e-9 on the change of loss and the descent slope) L-BFGS stops
        // for good once the mean square nears 1e-8, which here is reached at G ≈ 20.
        var stages = GridExtensionStudy.Schedule(grids, stepsPerGrid, FirstStageGridUpdates, LbfgsOptions.Pykan);

        var runs = new List<Figure23.NetworkRun>();
        foreach (var widths in Networks)
        {
            string label = $"KAN [{string.Join(",", widths)}]";
            // grid_eps 1 (uniform knots over the samples' range), as in the paper's era of pykan.
            var kanOptions = new KanOptions(GridSize: grids[0], Order: 3, GridEps: 1.0);
            KanNetwork Create(int seed) => new(widths, kanOptions, generator: new TorchSharp.torch.Generator((ulong)seed));
            var seeds = Enumerable.Range(0, Candidates).Select(c => options.Seed + CandidateSeedStride * c).ToArray();
            var (best, trialRmse) = GridExtensionStudy.ChooseInitialization(Create, seeds, train, stages[0], trialSteps);
            if (!options.Quiet)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: train RMSE after {trialSteps} trial steps per seed: {string.Join(", ", seeds.Select((s, i) => $"{s}: {trialRmse[i]:0.000e+00}"))}; keeping seed {seeds[best]}"));
            using var network = Create(seeds[best]);
            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            var result = GridExtensionStudy.Run(network, train, test, stages, step =>
            {
                bool stageEnd = (step.Step + 1) % stepsPerGrid == 0;
                if (options.Quiet || (!stageEnd && clock.Elapsed - lastReport < TimeSpan.FromSeconds(30))) return;
                lastReport = clock.Elapsed;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label} G={step.GridSize,4} step {step.Step + 1,5}: train RMSE {step.TrainRmse:0.000e+00}, test RMSE {step.TestRmse:0.000e+00} ({clock.Elapsed.TotalSeconds:F0} s)"));
            });
            runs.Add(new Figure23.NetworkRun(label, widths, result, seeds[best], trialRmse.Zip(seeds, (r, s) => (s, r)).ToArray()));
        }

        var setup = new Figure23.Setup(Function, TrainSamples, TestSamples, grids, stepsPerGrid, options.Seed, options.Quick,
            wall.Elapsed.TotalSeconds, FirstStageGridUpdates.Where(k => k < stepsPerGrid).ToArray(), trialSteps);
        string written = ResultsWriter.WriteFolder(options.Output, dir => Figure23.Write(dir, setup, runs));
        output.WriteLine($"results: {written} ({wall.Elapsed.TotalMinutes:F1} min)");
        return ExitCodes.Success;
    }

    private const int MaxSeed = int.MaxValue - CandidateSeedStride * (Candidates - 1);

    private static Options Parse(string[] args, out bool help)
    {
        string output = Path.Combine("results", "fig2.3");
        int seed = 0;
        bool quick = false, quiet = false;
        help = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" or "-o": output = Program.Value(args, ref i); break;
                case "--seed":
                    string text = Program.Value(args, ref i);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seed) || seed > MaxSeed)
                        throw new UsageException($"--seed needs an integer from 0 to {MaxSeed}, got '{text}'");
                    break;
                case "--quick": quick = true; break;
                case "--quiet" or "-q": quiet = true; break;
                case "--help" or "-h": help = true; break;
                default: throw new UsageException($"unknown argument '{args[i]}' for reproduce fig2.3");
            }
        }
        return new Options(output, seed, quick, quiet);
    }
}
