using System.Text.Json;
using Kan.Pde.Problems;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Commands;

/// <summary>
/// <c>list [--specs DIR] [--json]</c>: the problem families a spec can name, with their summaries, and the
/// spec files in the bundled <c>problems-yaml/</c> folder with their run name, family and model. A spec
/// that does not load is listed with its error, so the listing doubles as a check of the folder.
/// </summary>
public static class ListCommand
{
    /// <summary>The folder of bundled specs, looked for in the working directory and above, then above the program.</summary>
    public const string SpecFolderName = "problems-yaml";

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(ListOptions options, TextWriter output)
    {
        if (options.HelpRequested)
        {
            output.WriteLine(ListOptions.Usage);
            return ExitCodes.Success;
        }
        string? folder = options.SpecFolder ?? FindSpecFolder();
        if (options.SpecFolder is not null && !Directory.Exists(options.SpecFolder))
            throw new UsageException($"--specs: folder '{options.SpecFolder}' does not exist");
        var specs = folder is null ? Array.Empty<ListedSpec>() : ReadSpecs(folder);

        if (options.Json)
        {
            var document = new
            {
                families = ProblemFamilies.All.Select(f => new { name = f.Name, summary = f.Summary, keys = f.Keys.ToArray() }),
                specFolder = folder is null ? null : Path.GetFullPath(folder),
                specs = specs.Select(s => new { file = s.File, name = s.Name, family = s.Family, model = s.Model, error = s.Error }),
            };
            output.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
            return ExitCodes.Success;
        }

        output.WriteLine("problem families:");
        int familyWidth = ProblemFamilies.All.Max(f => f.Name.Length);
        foreach (var family in ProblemFamilies.All)
            output.WriteLine($"  {family.Name.PadRight(familyWidth)}  {family.Summary}");
        output.WriteLine();
        if (folder is null)
        {
            output.WriteLine($"bundled specs: no {SpecFolderName}/ folder found here or above (use --specs DIR)");
            return ExitCodes.Success;
        }
        output.WriteLine($"bundled specs ({Path.GetFullPath(folder)}):");
        if (specs.Count == 0) output.WriteLine("  (none)");
        int fileWidth = specs.Select(s => s.File.Length).DefaultIfEmpty(0).Max();
        int nameWidth = specs.Select(s => (s.Name ?? "").Length).DefaultIfEmpty(0).Max();
        int famWidth = specs.Select(s => (s.Family ?? "").Length).DefaultIfEmpty(0).Max();
        foreach (var s in specs)
            output.WriteLine(s.Error is null
                ? $"  {s.File.PadRight(fileWidth)}  {s.Name!.PadRight(nameWidth)}  {s.Family!.PadRight(famWidth)}  {s.Model}"
                : $"  {s.File.PadRight(fileWidth)}  (does not load: {s.Error})");
        return ExitCodes.Success;
    }

    /// <summary>The specs of <paramref name="folder"/> (*.yaml and *.yml), sorted by file name.</summary>
    public static IReadOnlyList<ListedSpec> ReadSpecs(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(ReadSpec)
            .ToArray();

    private static ListedSpec ReadSpec(string path)
    {
        string file = Path.GetFileName(path);
        try
        {
            if (SpecLoader.IsCompareSpec(path))
            {
                var compare = SpecLoader.LoadCompare(path);
                return new ListedSpec(file, compare.Name, compare.Shared.Problem.Family, Describe(compare), null);
            }
            var spec = SpecLoader.Load(path);
            return new ListedSpec(file, spec.Name, spec.Problem.Family, Describe(spec.Model), null);
        }
        catch (SpecException e)
        {
            return new ListedSpec(file, null, null, null, e.Message);
        }
    }

    /// <summary>A model in one phrase, from the spec alone (nothing is built).</summary>
    public static string Describe(ModelSpec model)
    {
        string widths = $"[{string.Join(",", model.Widths)}]";
        string core = model.Type == ModelType.Kan
            ? $"KAN {widths} G={model.Kan!.Grid} k={model.Kan.Order}"
            : $"MLP {widths} {model.Mlp!.Activation}";
        return model.SeparateOutputs > 0 ? $"{model.SeparateOutputs} × {core}" : core;
    }

    /// <summary>A compare spec in one phrase: how many models, the first few by label (run with <c>kan-pde compare</c>).</summary>
    public static string Describe(CompareSpec spec) =>
        $"compare: {spec.Models.Count} model{(spec.Models.Count == 1 ? "" : "s")} ({string.Join(", ", spec.Models.Take(3).Select(m => m.Label))}" +
        $"{(spec.Models.Count > 3 ? ", …" : "")})";

    /// <summary>
    /// <c>problems-yaml/</c> in the working directory or one of its parents, else next to (or above) the program;
    /// null when there is none.
    /// </summary>
    public static string? FindSpecFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, SpecFolderName);
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}

/// <summary>One spec file of a listing: its run name, family and model, or why it does not load.</summary>
public sealed record ListedSpec(string File, string? Name, string? Family, string? Model, string? Error);

/// <summary>Options of the list command.</summary>
public sealed record ListOptions(string? SpecFolder, bool Json)
{
    /// <summary>True for <c>list --help</c>.</summary>
    public bool HelpRequested { get; init; }

    /// <summary>Usage of the command.</summary>
    public const string Usage = """
        usage: kan-pde list [--specs DIR] [--json]
          Lists the problem families a spec can name and the spec files in problems-yaml/
          (found in the working directory or above) with their run name, family and model.
          --specs DIR   list the specs in DIR instead
          --json        print the listing as one JSON document
        """;
}
