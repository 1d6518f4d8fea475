using System.Globalization;
using System.Text;
using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Comparison;

/// <summary>
/// Writes a comparison's summary files next to its <c>runs/</c> folder: <c>comparison.csv</c> and <c>comparison.md</c>
/// (one row per model: mean and spread over seeds), <c>runs.csv</c> (one row per run, the numbers of its metrics.json),
/// <c>steps.csv</c> (error against step per model), <c>scaling.csv</c> and <c>slopes.csv</c> (error against parameter
/// count and the fitted power laws), and the plots <c>error_vs_step.png</c> and <c>error_vs_parameters.png</c>.
/// </summary>
public static class ComparisonReport
{
    /// <summary>File names.</summary>
    public const string ComparisonCsv = "comparison.csv", ComparisonMarkdown = "comparison.md", RunsCsv = "runs.csv",
        StepsCsv = "steps.csv", ScalingCsv = "scaling.csv", SlopesCsv = "slopes.csv",
        StepPlot = "error_vs_step.png", ScalingPlot = "error_vs_parameters.png";

    /// <summary>Writes every summary file into <paramref name="dir"/>, each replaced atomically.</summary>
    public static void Write(string dir, ComparisonResults results, string command)
    {
        Directory.CreateDirectory(dir);
        WriteText(dir, RunsCsv, FormatRuns(results));
        WriteText(dir, ComparisonCsv, FormatComparison(results));
        WriteText(dir, StepsCsv, FormatSteps(results));
        WriteText(dir, ScalingCsv, FormatScaling(results));
        WriteText(dir, SlopesCsv, FormatSlopes(results));
        WriteText(dir, ComparisonMarkdown, ComparisonMarkdownText.Format(results, command));
        WriteAtomically(Path.Combine(dir, StepPlot), path => ComparisonPlots.SaveSteps(path, results));
        WriteAtomically(Path.Combine(dir, ScalingPlot), path => ComparisonPlots.SaveScaling(path, results, referenceSlope: null));
    }

    /// <summary>Writes one file through a temporary sibling, so a reader never sees it half-written.</summary>
    public static void WriteAtomically(string path, Action<string> write)
    {
        string temporary = $"{path}.partial-{Guid.NewGuid():N}{Path.GetExtension(path)}";
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Writes a text file atomically.</summary>
    public static void WriteText(string dir, string name, string text) =>
        WriteAtomically(Path.Combine(dir, name), path => File.WriteAllText(path, text));

    private static string FormatRuns(ComparisonResults results)
    {
        var columns = results.Columns;
        var sb = new StringBuilder("label,series,type,widths,seed,status,parameters,steps");
        foreach (var c in columns) sb.Append(',').Append(c);
        sb.Append(",folder\n");
        foreach (var run in results.Runs)
        {
            var m = run.Metrics;
            sb.Append(Text(run.Model.Label)).Append(',').Append(Text(run.Model.Series)).Append(',').Append(TypeName(run.Model.Model))
              .Append(',').Append(Text(Widths(run.Model.Model))).Append(',').Append(Int(run.Seed)).Append(',')
              .Append(Text(run.Failure ?? "ok")).Append(',').Append(m is null ? "" : Int(m.Parameters)).Append(',')
              .Append(m is null ? "" : Int(m.Steps));
            foreach (var c in columns)
                sb.Append(',').Append(m is null ? "" : HistoryCsv.Real(ComparisonResults.Quantity(m, c, results.Terms, results.Fields, results.ReferenceSets)));
            sb.Append(',').Append(Text(run.Folder ?? "")).Append('\n');
        }
        return sb.ToString();
    }

    private static string FormatComparison(ComparisonResults results)
    {
        var columns = results.Columns;
        var sb = new StringBuilder("label,series,type,widths,parameters,runs,finished,steps");
        foreach (var c in columns) sb.Append($",{c}_mean,{c}_std,{c}_min,{c}_max");
        sb.Append('\n');
        foreach (var s in results.Models)
        {
            sb.Append(Text(s.Model.Label)).Append(',').Append(Text(s.Model.Series)).Append(',').Append(TypeName(s.Model.Model)).Append(',')
              .Append(Text(Widths(s.Model.Model))).Append(',').Append(Int(s.Parameters)).Append(',').Append(Int(s.Runs.Count)).Append(',')
              .Append(Int(s.Finished)).Append(',').Append(Int(s.Steps));
            foreach (var c in columns)
            {
                var v = s[c];
                sb.Append(',').Append(Real(v.Mean)).Append(',').Append(Real(v.Std)).Append(',').Append(Real(v.Min)).Append(',').Append(Real(v.Max));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string FormatSteps(ComparisonResults results)
    {
        var sb = new StringBuilder("label,step,grid,parameters,runs,total_loss,relative_l2,l2_squared,h1_squared\n");
        foreach (var s in results.Models)
        {
            if (!results.Curves.TryGetValue(s.Model.Label, out var curve)) continue;
            foreach (var p in curve)
                sb.Append(Text(s.Model.Label)).Append(',').Append(Int(p.Step)).Append(',').Append(Int(p.Grid)).Append(',').Append(Int(p.Parameters))
                  .Append(',').Append(Int(s.Finished)).Append(',').Append(Real(p.TotalLoss)).Append(',').Append(Real(p.RelativeL2))
                  .Append(',').Append(Real(p.L2Squared)).Append(',').Append(Real(p.H1Squared)).Append('\n');
        }
        return sb.ToString();
    }

    private static string FormatScaling(ComparisonResults results)
    {
        var sb = new StringBuilder("series,label,grid,parameters,step,runs,relative_l2,l2_squared,h1_squared\n");
        foreach (var p in results.Scaling)
            sb.Append(Text(p.Series)).Append(',').Append(Text(p.Label)).Append(',').Append(Int(p.Grid)).Append(',').Append(Int(p.Parameters))
              .Append(',').Append(Int(p.Step)).Append(',').Append(Int(p.Runs)).Append(',').Append(Real(p.RelativeL2)).Append(',')
              .Append(Real(p.L2Squared)).Append(',').Append(Real(p.H1Squared)).Append('\n');
        return sb.ToString();
    }

    private static string FormatSlopes(ComparisonResults results)
    {
        var sb = new StringBuilder("series,metric,slope,log10_prefactor,points,min_parameters,max_parameters\n");
        foreach (var f in results.Fits)
            sb.Append(Text(f.Series)).Append(',').Append(f.Metric).Append(',').Append(Real(f.Fit.Slope)).Append(',')
              .Append(Real(f.Fit.Log10Prefactor)).Append(',').Append(Int(f.Fit.Points)).Append(',').Append(Int(f.MinParameters))
              .Append(',').Append(Int(f.MaxParameters)).Append('\n');
        return sb.ToString();
    }

    /// <summary>"kan" or "mlp".</summary>
    public static string TypeName(ModelSpec model) => model.Type == ModelType.Kan ? "kan" : "mlp";

    /// <summary>"[2,10,1]".</summary>
    public static string Widths(ModelSpec model) => $"[{string.Join(",", model.Widths)}]";

    /// <summary>A CSV text field, quoted when it holds a comma or quote (RFC 4180).</summary>
    public static string Text(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    private static string Real(double value) => HistoryCsv.Real(value);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
