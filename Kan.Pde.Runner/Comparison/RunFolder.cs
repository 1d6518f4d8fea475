using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// The results folder of one compared run, <c>runs/&lt;model&gt;-seed&lt;s&gt;/</c>: what <see cref="ResultsWriter"/> writes for a
/// solve, plus <c>step_errors.csv</c> and <c>run.json</c> (label, seed and a fingerprint of the run's configuration).
/// Each folder appears complete when its run ends, so an interrupted comparison keeps the runs it finished, and a
/// resumed one can reuse a folder whose fingerprint matches.
/// </summary>
public static class RunFolder
{
    /// <summary>Subfolder of the comparison folder that holds the runs.</summary>
    public const string RunsFolder = "runs";

    /// <summary>File with the run's identity.</summary>
    public const string InfoFile = "run.json";

    /// <summary>Folder of a run, relative to the comparison folder.</summary>
    public static string RelativePath(ComparedModel model, int seed) => $"{RunsFolder}/{model.Slug}-seed{seed}";

    /// <summary>
    /// SHA-256 of everything that determines a run: the shared spec sections, the model entry, the seed and the
    /// device actually used. Code changes are not covered: resume only runs made by the same build.
    /// </summary>
    public static string Fingerprint(ComparedModel model, int seed, string device) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{model.Configuration}\nseed: {seed}\ndevice: {device}")));

    /// <summary>Writes the run's folder atomically; returns its full path.</summary>
    public static string Write(string comparisonDir, ComparedModel model, int seed, string device, RunRecord record, IReadOnlyList<StepErrors> steps)
    {
        var info = new RunInfo(model.Label, model.Series, seed, device, Fingerprint(model, seed, device));
        string stepsText = StepErrorsCsv.Format(steps), infoText = JsonSerializer.Serialize(info, MetricsJson.Options) + "\n";
        ExtraFile[] extra =
        [
            new(StepErrorsCsv.FileName, path => File.WriteAllText(path, stepsText)),
            new(InfoFile, path => File.WriteAllText(path, infoText)),
        ];
        return ResultsWriter.WriteAll(Path.Combine(comparisonDir, RelativePath(model, seed)), record with { ExtraFiles = extra });
    }

    /// <summary>
    /// The finished run in <paramref name="comparisonDir"/> for this model and seed, when its folder is complete and its
    /// fingerprint matches; otherwise null (the run must be trained).
    /// </summary>
    public static ComparedRun? TryLoad(string comparisonDir, ComparedModel model, int seed, string device)
    {
        string relative = RelativePath(model, seed);
        string dir = Path.Combine(comparisonDir, relative);
        try
        {
            var info = JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(Path.Combine(dir, InfoFile)), MetricsJson.Options);
            if (info is null || info.Fingerprint != Fingerprint(model, seed, device)) return null;
            var metrics = JsonSerializer.Deserialize<RunMetrics>(File.ReadAllText(Path.Combine(dir, ResultsWriter.MetricsFile)), MetricsJson.Options);
            var steps = StepErrorsCsv.Parse(File.ReadAllText(Path.Combine(dir, StepErrorsCsv.FileName)));
            return metrics is null ? null : new ComparedRun(model, seed, metrics, steps, relative);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Contents of <c>run.json</c>.</summary>
    public sealed record RunInfo(string Label, string Series, int Seed, string Device, string Fingerprint);
}
