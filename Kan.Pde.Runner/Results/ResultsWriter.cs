using System.Security.Cryptography;
using ScottPlot;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Writes a run's results folder: <c>metrics.json</c>, <c>history.csv</c>, <c>convergence.png</c>,
/// <c>solution.png</c>, <c>exact.png</c> and <c>error.png</c> (the field figures when the fields are given); for
/// multi-output problems <c>fields.png</c> and <c>velocity.png</c> per slice, and <c>reference-NAME.png</c> per profile;
/// <c>fields.vtk</c> and <c>fields.csv</c> (all fields on the evaluation mesh), <c>spec.yaml</c> (the run's spec) and
/// <c>report.html</c> (one page with the metrics and figures).
/// </summary>
/// <remarks>
/// Nothing is ever half-written: files go to a sibling <c>&lt;dir&gt;.partial-&lt;random&gt;</c> folder that is renamed
/// to the final name only after every file is complete, replacing an earlier folder of the same name. On failure
/// the partial folder is deleted and an earlier folder is left as it was.
/// </remarks>
public static class ResultsWriter
{
    /// <summary>File names inside a results folder.</summary>
    public const string MetricsFile = "metrics.json", HistoryFile = "history.csv", ConvergenceFile = "convergence.png",
        SolutionFile = "solution.png", ExactFile = "exact.png", ErrorFile = "error.png", SpecCopyFile = "spec.yaml";

    /// <summary>Stems of the multi-output figures: fields[-tT].png, velocity[-tT].png, reference-NAME.png.</summary>
    public const string FieldsFile = "fields", VelocityFile = "velocity", ReferenceFilePrefix = "reference-";

    /// <summary>Writes all results of <paramref name="record"/> into <paramref name="outputDir"/> atomically.</summary>
    /// <returns>The full path of the written folder.</returns>
    /// <exception cref="ArgumentException">The record is inconsistent; thrown before anything is written.</exception>
    public static string WriteAll(string outputDir, RunRecord record, ResultsWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDir);
        ArgumentNullException.ThrowIfNull(record);
        options ??= ResultsWriterOptions.Default;
        var error = Validate(record);

        return WriteFolder(outputDir, dir => WriteFiles(dir, record, error, options));
    }

    /// <summary>
    /// Fills a results folder atomically: <paramref name="write"/> fills a fresh sibling partial folder, which then
    /// replaces <paramref name="outputDir"/>; on failure the partial folder is removed and an earlier folder stays.
    /// </summary>
    /// <returns>The full path of the written folder.</returns>
    public static string WriteFolder(string outputDir, Action<string> write)
    {
        string target = Path.GetFullPath(Path.TrimEndingDirectorySeparator(outputDir));
        string parent = Path.GetDirectoryName(target)
            ?? throw new ArgumentException("The output folder cannot be a file-system root.", nameof(outputDir));
        Directory.CreateDirectory(parent);

        string partial = $"{target}.partial-{RandomSuffix()}";
        Directory.CreateDirectory(partial);
        try
        {
            write(partial);
            Commit(partial, target);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
        return target;
    }

    private static void WriteFiles(string dir, RunRecord record, FieldGrid2D? error, ResultsWriterOptions options)
    {
        MetricsJson.Write(Path.Combine(dir, MetricsFile), record.Metrics);
        HistoryCsv.Write(Path.Combine(dir, HistoryFile), record.History);
        ConvergencePlot.Save(Path.Combine(dir, ConvergenceFile), record, options);

        string run = record.Metrics.Name;
        // Prediction and reference share one colour range so the two maps can be compared by eye.
        var shared = SharedRange(record.Prediction, record.Exact);
        if (record.Prediction is { } u)
            FieldPlot.Save(Path.Combine(dir, SolutionFile), u, $"Prediction — {run}", new(new ScottPlot.Colormaps.Viridis(), shared), options);
        if (record.Exact is { } exact)
            FieldPlot.Save(Path.Combine(dir, ExactFile), exact, $"Reference solution — {run}", new(new ScottPlot.Colormaps.Viridis(), shared), options);
        if (error is not null)
        {
            var scale = new FieldPlot.Scale(new ScottPlot.Colormaps.Inferno(), Log10: options.LogScaleError, Decades: options.ErrorDecades);
            FieldPlot.Save(Path.Combine(dir, ErrorFile), error, $"Pointwise error — {run}", scale, options);
        }
        foreach (var slice in record.Slices)
        {
            SlicePlots.SavePanels(Path.Combine(dir, $"{FieldsFile}{slice.FileSuffix}.png"), slice, run, options);
            if (slice.IndexOf("u") >= 0 && slice.IndexOf("v") >= 0)
                SlicePlots.SaveVelocity(Path.Combine(dir, $"{VelocityFile}{slice.FileSuffix}.png"), slice, run, options);
        }
        foreach (var profile in record.Profiles)
            ProfilePlot.Save(Path.Combine(dir, $"{ReferenceFilePrefix}{profile.Name}.png"), profile, run, options);
        foreach (var extra in record.ExtraFiles) extra.Write(Path.Combine(dir, extra.Name));
        if (record.Fields is { } fields)
        {
            FieldsCsv.Write(Path.Combine(dir, FieldsCsv.FileName), fields);
            if (VtkFile.CanWrite(fields)) VtkFile.Write(Path.Combine(dir, VtkFile.FileName), fields, $"kan-pde {run}");
        }
        if (record.SpecText is { } spec) File.WriteAllText(Path.Combine(dir, SpecCopyFile), spec);
        // Last, so that it lists every file and figure written above.
        RunReport.Write(dir, record);
    }

    /// <summary>Checks the record up front and derives the error field when it was not supplied.</summary>
    private static FieldGrid2D? Validate(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record.Metrics, nameof(record.Metrics));
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Metrics.Name, nameof(record.Metrics.Name));
        ArgumentNullException.ThrowIfNull(record.History, nameof(record.History));
        ArgumentNullException.ThrowIfNull(record.GridChanges, nameof(record.GridChanges));
        record.Prediction?.Validate(nameof(record.Prediction));
        record.Exact?.Validate(nameof(record.Exact));
        record.Error?.Validate(nameof(record.Error));
        foreach (var slice in record.Slices)
        {
            if (slice.Predicted.Count != slice.Names.Count || slice.UpToConstant.Count != slice.Names.Count || slice.Exact is { } e && e.Count != slice.Names.Count)
                throw new ArgumentException($"slice '{slice.Label}' needs one field per output name", nameof(record));
            foreach (var f in slice.Predicted.Concat(slice.Exact ?? [])) f.Validate(nameof(record.Slices));
        }
        record.Fields?.Validate();
        foreach (var extra in record.ExtraFiles ?? throw new ArgumentNullException(nameof(record.ExtraFiles)))
            if (string.IsNullOrWhiteSpace(extra.Name) || extra.Name != Path.GetFileName(extra.Name) || extra.Name is "." or "..")
                throw new ArgumentException($"extra file name '{extra.Name}' must be a plain file name", nameof(record));

        if (record.Error is not null || record.Prediction is not { } u || record.Exact is not { } exact) return record.Error;
        if (!u.SameGridAs(exact))
            throw new ArgumentException("Prediction and Exact must be sampled on the same grid to derive the error field.", nameof(record));

        var diff = new double[u.Ys.Length, u.Xs.Length];
        for (int iy = 0; iy < u.Ys.Length; iy++)
            for (int ix = 0; ix < u.Xs.Length; ix++)
                diff[iy, ix] = Math.Abs(u.Values[iy, ix] - exact.Values[iy, ix]);
        return new FieldGrid2D(u.Xs, u.Ys, diff, "|u − u*|") { Masked = u.Masked };
    }

    private static ScottPlot.Range? SharedRange(FieldGrid2D? a, FieldGrid2D? b)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var field in new[] { a, b })
        {
            if (field is null) continue;
            foreach (double v in field.Values)
            {
                if (!double.IsFinite(v)) continue;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        if (!(max > min)) return null;
        return new ScottPlot.Range(min, max);
    }

    /// <summary>Renames <paramref name="partial"/> to <paramref name="target"/>, replacing an existing folder.</summary>
    private static void Commit(string partial, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(partial, target);
            return;
        }

        // Two renames rather than delete-then-rename: until the new folder is in place the old one survives intact.
        string retired = $"{target}.old-{RandomSuffix()}";
        Directory.Move(target, retired);
        try
        {
            Directory.Move(partial, target);
        }
        catch
        {
            Directory.Move(retired, target);
            throw;
        }
        TryDelete(retired);
    }

    private static string RandomSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
