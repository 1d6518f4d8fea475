using Kan.Pde.Core.Training;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner;

/// <summary>The kan-pde command-line program.</summary>
public static class Program
{
    private const string Usage = """
        kan-pde — physics-informed Kolmogorov–Arnold networks for PDEs

        usage:
          kan-pde solve [SPEC.yaml] [--output DIR] [--device cpu|cuda] [--quiet] [--log-json FILE]
                        [--checkpoints DIR] [--resume]
              Train on the spec's problem and write metrics, history, fields (VTK, CSV), plots and a report
              to DIR (default: the spec's output folder). Without SPEC the bundled Poisson example runs.
          kan-pde list [--specs DIR] [--json]
              List the problem families and the bundled specs (problems-yaml/) with name, family and model.
          kan-pde interpret SPEC.yaml [--output DIR] [--device cpu|cuda] [--quiet]
              Train as solve does, then snap the KAN's edges to symbolic functions, retrain their affine parameters and
              write the formula (formula.txt, formula.tex), interpretation.json and network plots (kan.png, kan-symbolic.png).
          kan-pde bench [--quick] [--threads N] [--device cpu|cuda] [--dtype float64|float32] [--budget S] [--output DIR] [--only NAMES]
              Time loss+gradient evaluations (forward and reverse mode), L-BFGS and Adam steps and memory
              for KANs and MLPs on the Poisson tutorial; write bench.csv and bench.md to DIR (default results/bench).
          kan-pde compare SPEC.yaml [--model YAML]... [--seeds LIST] [--output DIR] [--resume] [--device D] [--quiet]
              Train several models (KANs, MLPs) with several seeds on one problem, points and schedule; write each
              run's folder, comparison.csv/.md, runs.csv, steps.csv, scaling.csv, slopes.csv and plots.
          kan-pde reproduce fig3.3|pykan-poisson [--output DIR] [--resume] [--spec FILE] [--seeds LIST] [--quiet]
              Re-run a published experiment (KAN paper Fig. 3.3; pykan's Poisson tutorial) and draw its figure
              (default folder results/<name>).
          kan-pde reproduce anderson [--output DIR] [--cache DIR] [--only NAMES] [--quick] [--quiet]
              The KAN paper's mobility edges (§4.4): label eigenstates of quasi-periodic chains by their fractal dimension,
              train KAN classifiers, extract the edges; write phase diagrams, accuracies and formulas (default results/anderson).
          kan-pde reproduce fig2.3 [--output DIR] [--seed N] [--quick] [--quiet]
              The KAN paper's grid extension (Fig. 2.3): KANs [2,5,1] and [2,1,1] regress exp(sin(pi x) + y^2) on grids
              3 ... 1000; write train/test RMSE per step, slopes against G and the figure (default results/fig2.3).
          kan-pde extension-spikes RUN_A RUN_B [--labels A,B] [--window W] --output DIR
              Compare two runs' total loss around each grid extension (spike size, recovery); write spikes.md/png.
          kan-pde help COMMAND | COMMAND --help     options of one command
          kan-pde --help | --version

        exit codes: 0 success, 1 internal error (a bug), 2 bad input (command line or spec),
                    3 training diverged (no results written; compare and reproduce: some run diverged, the others
                    are reported), 130 interrupted (checkpoint written)
        """;

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        Kan.Pde.Core.Runtime.TorchRuntime.Configure();
        return Run(args, System.Console.Out, System.Console.Error);
    }

    /// <summary>Runs the program with explicit streams (used by tests).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            if (args is ["help", var command, ..]) args = [command, "--help"];
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                output.WriteLine(Usage);
                return args.Length == 0 ? ExitCodes.BadInput : ExitCodes.Success;
            }
            if (args[0] == "--version")
            {
                output.WriteLine($"kan-pde {typeof(Program).Assembly.GetName().Version?.ToString(3)}");
                return ExitCodes.Success;
            }
            if (args is ["reproduce", "anderson", ..]) return ReproduceAndersonCommand.Run(args.Skip(2).ToArray(), output);
            if (args is ["reproduce", "fig2.3", ..]) return ReproduceFig23Command.Run(args.Skip(2).ToArray(), output);
            return args[0] switch
            {
                "solve" => SolveCommand.Run(ParseSolve(args.Skip(1).ToArray()), output),
                "interpret" => InterpretCommand.Run(ParseSolve(args.Skip(1).ToArray(), "interpret"), output),
                "bench" => BenchCommand.Run(ParseBench(args.Skip(1).ToArray()), output),
                "compare" => CompareCommand.Run(ParseCompare(args.Skip(1).ToArray(), "compare"), output),
                "reproduce" => ReproduceCommand.Run(ParseCompare(args.Skip(1).ToArray(), "reproduce"), output),
                "list" => ListCommand.Run(ParseList(args.Skip(1).ToArray()), output),
                "extension-spikes" => ExtensionSpikesCommand.Run(args.Skip(1).ToArray(), output),
                _ => throw new UsageException($"unknown command '{args[0]}' (try --help)"),
            };
        }
        catch (TrainingDivergedException e)
        {
            error.WriteLine($"error: {e.Message}; no results were written");
            return ExitCodes.Diverged;
        }
        catch (Kan.Pde.Runner.Checkpoints.TrainingInterruptedException e)
        {
            error.WriteLine($"stopped: {e.Message}");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is UsageException or SpecException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            error.WriteLine($"internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            return ExitCodes.InternalError;
        }
    }

    private static SolveOptions ParseSolve(string[] args, string command = "solve")
    {
        string? spec = null, outputDir = null, device = null, logJson = null, checkpoints = null;
        bool quiet = false, resume = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" or "-o": outputDir = Value(args, ref i); break;
                case "--device": device = Value(args, ref i); break;
                case "--quiet" or "-q": quiet = true; break;
                case "--log-json" when command == "solve": logJson = Value(args, ref i); break;
                case "--checkpoints" when command == "solve": checkpoints = Value(args, ref i); break;
                case "--resume" when command == "solve": resume = true; break;
                case "--help" or "-h": return new SolveOptions(null, null, null, false) { HelpRequested = true };
                default:
                    if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}' for {command}");
                    if (spec is not null) throw new UsageException($"{command} takes one spec file");
                    spec = args[i];
                    break;
            }
        }
        return new SolveOptions(spec, outputDir, device, quiet) { LogJson = logJson, CheckpointDir = checkpoints, Resume = resume };
    }

    private static ListOptions ParseList(string[] args)
    {
        string? folder = null;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--specs": folder = Value(args, ref i); break;
                case "--json": json = true; break;
                case "--help" or "-h": return new ListOptions(null, false) { HelpRequested = true };
                default: throw new UsageException($"unknown argument '{args[i]}' for list");
            }
        }
        return new ListOptions(folder, json);
    }

    /// <summary>
    /// compare SPEC [--model YAML]... [--seeds LIST] [--output DIR] [--resume] [--device D] [--quiet], and reproduce
    /// NAME with the same options plus --spec FILE (NAME then travels as the spec path, the file as a model-free override).
    /// </summary>
    private static CompareOptions ParseCompare(string[] args, string verb)
    {
        string? spec = null, outputDir = null, device = null, specOverride = null;
        var models = new List<string>();
        List<int>? seeds = null;
        bool resume = false, quiet = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model" when verb == "compare": models.Add(Value(args, ref i)); break;
                case "--spec" when verb == "reproduce": specOverride = Value(args, ref i); break;
                case "--seeds": seeds = ParseSeeds(Value(args, ref i)); break;
                case "--output" or "-o": outputDir = Value(args, ref i); break;
                case "--device": device = Value(args, ref i); break;
                case "--resume": resume = true; break;
                case "--quiet" or "-q": quiet = true; break;
                case "--help" or "-h": return new CompareOptions(null, models, null, null, null, false, false) { HelpRequested = true };
                default:
                    if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}' for {verb}");
                    if (spec is not null) throw new UsageException(verb == "compare" ? "compare takes one spec file" : "reproduce takes one name");
                    spec = args[i];
                    break;
            }
        }
        return new CompareOptions(spec, models, seeds, outputDir, device, resume, quiet) { SpecOverride = specOverride };
    }

    private static List<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seed))
                throw new UsageException($"--seeds needs comma-separated integers >= 0, got '{text}'");
            if (seeds.Contains(seed)) throw new UsageException($"--seeds lists {seed} twice");
            seeds.Add(seed);
        }
        return seeds;
    }

    private static BenchOptions ParseBench(string[] args)
    {
        string? outputDir = null, device = null, only = null, dtype = null;
        int? threads = null;
        double? budget = null;
        bool quick = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--threads":
                    string text = Value(args, ref i);
                    if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) || n < 1)
                        throw new UsageException($"--threads needs a positive integer, got '{text}'");
                    threads = n;
                    break;
                case "--device": device = Value(args, ref i); break;
                case "--output" or "-o": outputDir = Value(args, ref i); break;
                case "--only": only = Value(args, ref i); break;
                case "--dtype": dtype = Value(args, ref i); break;
                case "--budget":
                    string seconds = Value(args, ref i);
                    if (!double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double b) || !(b > 0))
                        throw new UsageException($"--budget needs a positive number of seconds, got '{seconds}'");
                    budget = b;
                    break;
                case "--help" or "-h": return new BenchOptions(false, null, null, null) { HelpRequested = true };
                default: throw new UsageException($"unknown argument '{args[i]}' for bench");
            }
        }
        return new BenchOptions(quick, threads, device, outputDir) { Only = only, DType = dtype, BudgetSeconds = budget };
    }

    /// <summary>The value after option <c>args[i]</c> (advancing i), or a usage error when there is none.</summary>
    internal static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"option '{args[i]}' needs a value");
        return args[++i];
    }
}

/// <summary>A command-line mistake (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
