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
          kan-pde solve [SPEC.yaml] [--output DIR] [--device cpu|cuda] [--quiet]
              Train on the spec's problem and write metrics.json, history.csv and plots to DIR
              (default: the spec's output folder). Without SPEC the bundled Poisson example runs.
          kan-pde interpret SPEC.yaml [--output DIR] [--device cpu|cuda] [--quiet]
              Train as solve does, then snap the KAN's edges to symbolic functions, retrain their affine parameters and
              write the formula (formula.txt, formula.tex), interpretation.json and network plots (kan.png, kan-symbolic.png).
          kan-pde bench [--quick] [--threads N] [--device cpu|cuda] [--output DIR] [--only NAMES]
              Time loss+gradient evaluations (forward and reverse mode), L-BFGS and Adam steps and memory
              for KANs and MLPs on the Poisson tutorial; write bench.csv and bench.md to DIR (default results/bench).
          kan-pde --help | --version

        exit codes: 0 success, 1 internal error, 2 bad input (command line or spec), 3 training diverged
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
            return args[0] switch
            {
                "solve" => SolveCommand.Run(ParseSolve(args.Skip(1).ToArray()), output),
                "interpret" => InterpretCommand.Run(ParseSolve(args.Skip(1).ToArray(), "interpret"), output),
                "bench" => BenchCommand.Run(ParseBench(args.Skip(1).ToArray()), output),
                _ => throw new UsageException($"unknown command '{args[0]}' (try --help)"),
            };
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (SpecException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (TrainingDivergedException e)
        {
            error.WriteLine($"error: {e.Message}; no results were written");
            return ExitCodes.Diverged;
        }
        catch (Exception e)
        {
            error.WriteLine($"internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            return ExitCodes.InternalError;
        }
    }

    private static SolveOptions ParseSolve(string[] args, string command = "solve")
    {
        string? spec = null, outputDir = null, device = null;
        bool quiet = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--output" or "-o": outputDir = Value(args, ref i); break;
                case "--device": device = Value(args, ref i); break;
                case "--quiet" or "-q": quiet = true; break;
                case "--help" or "-h": return new SolveOptions(null, null, null, false) { HelpRequested = true };
                default:
                    if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}' for {command}");
                    if (spec is not null) throw new UsageException($"{command} takes one spec file");
                    spec = args[i];
                    break;
            }
        }
        return new SolveOptions(spec, outputDir, device, quiet);
    }

    private static BenchOptions ParseBench(string[] args)
    {
        string? outputDir = null, device = null, only = null;
        int? threads = null;
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
                case "--help" or "-h": return new BenchOptions(false, null, null, null) { HelpRequested = true };
                default: throw new UsageException($"unknown argument '{args[i]}' for bench");
            }
        }
        return new BenchOptions(quick, threads, device, outputDir) { Only = only };
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length) throw new UsageException($"option '{args[i]}' needs a value");
        return args[++i];
    }
}

/// <summary>A command-line mistake (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
