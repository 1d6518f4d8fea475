using Kan.Pde.Runner.Comparison;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>reproduce NAME [--output DIR] [--resume] [--spec FILE] [--seeds LIST] [--device D] [--quiet]</c>: runs a published
/// experiment as a comparison from its bundled spec (<c>problems-yaml/NAME.yaml</c>), writes the comparison's files and
/// then the experiment's own figure, its CSVs and a summary into the results folder (default <c>results/NAME</c>).
/// </summary>
public static class ReproduceCommand
{
    /// <summary>The experiments that can be reproduced.</summary>
    public static IReadOnlyList<Reproduction> All { get; } = [Figure33.Reproduction, PykanPoissonTutorial.Reproduction];

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(CompareOptions options, TextWriter output)
    {
        if (options.HelpRequested)
        {
            output.WriteLine(Usage);
            return ExitCodes.Success;
        }
        string names = string.Join(", ", All.Select(r => r.Name).Append("anderson").Append("fig2.3"));
        if (options.SpecPath is null) throw new UsageException($"reproduce needs a name: {names}");
        var reproduction = All.FirstOrDefault(r => r.Name == options.SpecPath)
            ?? throw new UsageException($"unknown experiment '{options.SpecPath}' (known: {names})");

        var spec = options.SpecOverride is { } file
            ? SpecLoader.LoadCompare(file, seeds: options.Seeds)
            : SpecLoader.ParseCompare(reproduction.BundledSpec(), $"<embedded {reproduction.Name}.yaml>", seeds: options.Seeds);
        string dir = options.Output ?? spec.Output;
        var results = CompareCommand.Execute(spec, dir, options, output);
        ComparisonReport.Write(dir, results, CompareCommand.CommandText("reproduce", options));
        foreach (var written in reproduction.WriteFigure(dir, results)) output.WriteLine($"wrote {Path.Combine(dir, written)}");
        output.WriteLine($"results: {Path.GetFullPath(dir)}");
        return results.Runs.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.Diverged;
    }

    /// <summary>Usage of the command.</summary>
    public static string Usage => $"""
        usage: kan-pde reproduce NAME [--output DIR] [--resume] [--spec FILE] [--seeds LIST] [--device D] [--quiet]
          NAME           the experiment:
        {string.Join("\n", All.Select(r => $"                   {r.Name,-15}{r.Summary}"))}
                           anderson       the KAN paper's mobility edges (§4.4), its own options: kan-pde reproduce anderson --help
                           fig2.3         the KAN paper's grid extension (Fig. 2.3), its own options: kan-pde reproduce fig2.3 --help
          --output DIR   results folder (default results/NAME)
          --resume       reuse runs already in DIR/runs whose configuration is unchanged
          --spec FILE    run this compare spec instead of the bundled one (e.g. a smaller version), same figure
          --seeds LIST   comma-separated seeds replacing every model's
          --device D     cpu, cuda or cuda:N
          --quiet        no per-step progress display
        """;
}

/// <summary>A reproducible experiment: its bundled compare spec and the figure drawn from the comparison.</summary>
/// <param name="Name">Command-line name, also the bundled spec's resource name (<c>reproduce-NAME.yaml</c>).</param>
/// <param name="Summary">One line for the usage text.</param>
/// <param name="WriteFigure">Writes the figure and its files into the folder; returns their names.</param>
public sealed record Reproduction(string Name, string Summary, Func<string, ComparisonResults, IReadOnlyList<string>> WriteFigure)
{
    /// <summary>The text of the bundled spec.</summary>
    public string BundledSpec()
    {
        using var stream = typeof(Reproduction).Assembly.GetManifestResourceStream($"reproduce-{Name}.yaml")
            ?? throw new InvalidOperationException($"the bundled spec of '{Name}' is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
