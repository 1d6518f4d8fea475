using Kan.Pde.Runner.Results;
using Kan.Pde.Runner.Spec;

namespace Kan.Pde.Runner.Comparison;

/// <summary>A model's results over its seeds: final quantities as <see cref="Spread"/>s, by CSV column name.</summary>
public sealed record ModelSummary(ComparedModel Model, IReadOnlyList<ComparedRun> Runs, long Parameters, int Steps,
    IReadOnlyList<KeyValuePair<string, Spread>> Quantities)
{
    /// <summary>Runs that finished.</summary>
    public int Finished => Runs.Count(r => r.Succeeded);

    /// <summary>The spread of one quantity (NaN spread when absent).</summary>
    public Spread this[string column] =>
        Quantities.FirstOrDefault(q => q.Key == column).Value ?? new Spread(double.NaN, double.NaN, double.NaN, double.NaN, 0);
}

/// <summary>A model's state after one step, geometric mean over its finished seeds.</summary>
public sealed record StepPoint(int Step, int Grid, long Parameters, double TotalLoss, double RelativeL2, double L2Squared, double H1Squared);

/// <summary>
/// One point of a scaling plot: a model at the end of a stretch of steps with one parameter count (for a KAN, the
/// last step on each grid size; for an MLP, the last step), geometric mean over seeds.
/// </summary>
public sealed record ScalingPoint(string Series, string Label, int Grid, long Parameters, int Step, int Runs, double RelativeL2,
    double L2Squared, double H1Squared);

/// <summary>A power law fitted to one series' scaling points for one error measure.</summary>
public sealed record SeriesFit(string Series, string Metric, PowerLawFit Fit, long MinParameters, long MaxParameters);

/// <summary>Everything a comparison reports, computed from its runs: per-model summaries, step curves, scaling points and fits.</summary>
public sealed class ComparisonResults
{
    /// <summary>Error measures that scaling points carry and fits are made for, with their CSV names.</summary>
    public static readonly string[] ScalingMetrics = { "l2_squared", "h1_squared", "relative_l2" };

    private ComparisonResults(CompareSpec spec, IReadOnlyList<ComparedRun> runs, IReadOnlyList<ModelSummary> models,
        IReadOnlyDictionary<string, IReadOnlyList<StepPoint>> curves, IReadOnlyList<ScalingPoint> scaling, IReadOnlyList<SeriesFit> fits,
        IReadOnlyList<string> referenceSets)
    {
        Spec = spec;
        ReferenceSets = referenceSets;
        Runs = runs;
        Models = models;
        Curves = curves;
        Scaling = scaling;
        Fits = fits;
    }

    /// <summary>The comparison.</summary>
    public CompareSpec Spec { get; }

    /// <summary>All runs in spec order (model, then seed).</summary>
    public IReadOnlyList<ComparedRun> Runs { get; }

    /// <summary>One summary per model, in spec order.</summary>
    public IReadOnlyList<ModelSummary> Models { get; }

    /// <summary>Step curves by model label (models without a finished run have none).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<StepPoint>> Curves { get; }

    /// <summary>Scaling points in spec order.</summary>
    public IReadOnlyList<ScalingPoint> Scaling { get; }

    /// <summary>Fits per series and metric, for series with at least two parameter counts.</summary>
    public IReadOnlyList<SeriesFit> Fits { get; }

    /// <summary>Loss term names of the problem.</summary>
    public IReadOnlyList<string> Terms => Spec.Shared.Problem.Definition.LossTermNames;

    /// <summary>Output field names of the problem.</summary>
    public IReadOnlyList<string> Fields => Spec.Shared.Problem.Definition.OutputNames;

    /// <summary>
    /// Names of the reference data sets the runs were measured against (e.g. Ghia et al.'s cavity centrelines), in the
    /// order the first finished run lists them; empty when the problem has none.
    /// </summary>
    public IReadOnlyList<string> ReferenceSets { get; }

    /// <summary>Names of the per-run quantities of this comparison, in column order.</summary>
    public IReadOnlyList<string> Columns => QuantityColumns(Terms, Fields, ReferenceSets);

    /// <summary>Summarises <paramref name="runs"/> (in spec order).</summary>
    public static ComparisonResults From(CompareSpec spec, IReadOnlyList<ComparedRun> runs)
    {
        var terms = spec.Shared.Problem.Definition.LossTermNames;
        var fields = spec.Shared.Problem.Definition.OutputNames;
        var referenceSets = runs.Where(r => r.Succeeded).SelectMany(r => r.Metrics!.Reference.Select(x => x.Set)).Distinct().ToArray();
        var models = spec.Models.Select(model =>
        {
            var own = runs.Where(r => r.Model == model).ToArray();
            var done = own.Where(r => r.Succeeded).ToArray();
            var columns = done.Length == 0 ? Array.Empty<string>() : QuantityColumns(terms, fields, referenceSets);
            var quantities = columns.Select(c => new KeyValuePair<string, Spread>(c,
                Spread.Of(done.Select(r => Quantity(r.Metrics!, c, terms, fields, referenceSets)).ToArray()))).ToArray();
            return new ModelSummary(model, own, done.Length > 0 ? done[0].Metrics!.Parameters : 0, done.Length > 0 ? done[0].Metrics!.Steps : 0, quantities);
        }).ToArray();

        var curves = new Dictionary<string, IReadOnlyList<StepPoint>>();
        foreach (var model in spec.Models)
        {
            var done = runs.Where(r => r.Model == model && r.Succeeded && r.Steps.Count > 0).ToArray();
            if (done.Length == 0) continue;
            int steps = done.Min(r => r.Steps.Count);
            curves[model.Label] = Enumerable.Range(0, steps).Select(i =>
            {
                var rows = done.Select(r => r.Steps[i]).ToArray();
                double G(Func<StepErrors, double> f) => Spread.GeometricMean(rows.Select(f).ToArray());
                return new StepPoint(rows[0].Step, rows[0].Grid, rows[0].Parameters, G(r => r.TotalLoss), G(r => r.RelativeL2),
                    G(r => r.L2Squared), G(r => r.H1Squared));
            }).ToArray();
        }

        var scaling = ScalingPoints(spec, runs);
        var fits = scaling.GroupBy(p => p.Series).SelectMany(series => ScalingMetrics.Select(metric =>
        {
            var fit = PowerLawFit.Of(series.Select(p => ((double)p.Parameters, ScalingValue(p, metric))).ToArray());
            return fit is null ? null : new SeriesFit(series.Key, metric, fit, series.Min(p => p.Parameters), series.Max(p => p.Parameters));
        })).OfType<SeriesFit>().ToArray();
        return new ComparisonResults(spec, runs, models, curves, scaling, fits, referenceSets);
    }

    /// <summary>The value of a scaling metric at a point.</summary>
    public static double ScalingValue(ScalingPoint p, string metric) => metric switch
    {
        "l2_squared" => p.L2Squared,
        "h1_squared" => p.H1Squared,
        "relative_l2" => p.RelativeL2,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    /// <summary>The fit of one series and metric, or null.</summary>
    public SeriesFit? FitOf(string series, string metric) => Fits.FirstOrDefault(f => f.Series == series && f.Metric == metric);

    /// <summary>Names of the per-run quantities, in column order.</summary>
    public static IReadOnlyList<string> QuantityColumns(IReadOnlyList<string> terms, IReadOnlyList<string> fields,
        IReadOnlyList<string>? referenceSets = null)
    {
        var columns = new List<string> { "relative_l2", "l2_squared", "h1_squared", "h1_gradient_squared", "max_abs_error", "final_total_loss" };
        columns.AddRange(terms.Select(t => $"loss_{t}"));
        if (fields.Count > 1)
            foreach (var f in fields) columns.AddRange([$"relative_l2_{f}", $"l2_squared_{f}", $"max_abs_error_{f}"]);
        foreach (var set in referenceSets ?? Array.Empty<string>()) columns.AddRange([$"reference_max_abs_{set}", $"reference_rms_{set}"]);
        columns.AddRange(["loss_evaluations", "training_seconds", "wall_seconds"]);
        return columns;
    }

    /// <summary>One quantity of a run, read from its metrics exactly as written to metrics.json.</summary>
    public static double Quantity(RunMetrics m, string column, IReadOnlyList<string> terms, IReadOnlyList<string> fields,
        IReadOnlyList<string>? referenceSets = null)
    {
        switch (column)
        {
            case "relative_l2": return m.RelativeL2;
            case "l2_squared": return m.L2SquaredError;
            case "h1_squared": return m.H1SquaredError;
            case "h1_gradient_squared": return m.H1GradientSquaredError;
            case "max_abs_error": return m.MaxAbsError;
            case "final_total_loss": return m.FinalTotalLoss;
            case "loss_evaluations": return m.LossEvaluations;
            case "training_seconds": return m.TrainingSeconds;
            case "wall_seconds": return m.WallSeconds;
        }
        foreach (var t in terms)
            if (column == $"loss_{t}") return m.FinalLosses.TryGetValue(t, out var v) ? v : double.NaN;
        foreach (var f in fields)
        {
            var c = m.Components.FirstOrDefault(x => x.Name == f);
            if (column == $"relative_l2_{f}") return c?.RelativeL2 ?? double.NaN;
            if (column == $"l2_squared_{f}") return c?.L2SquaredError ?? double.NaN;
            if (column == $"max_abs_error_{f}") return c?.MaxAbsError ?? double.NaN;
        }
        foreach (var set in referenceSets ?? Array.Empty<string>())
        {
            var r = m.Reference.FirstOrDefault(x => x.Set == set);
            if (column == $"reference_max_abs_{set}") return r?.MaxAbsError ?? double.NaN;
            if (column == $"reference_rms_{set}") return r?.RmsError ?? double.NaN;
        }
        throw new ArgumentOutOfRangeException(nameof(column), column, "unknown quantity");
    }

    /// <summary>
    /// The last step of every stretch with one parameter count, per run, averaged over seeds: a KAN trained on grids
    /// 5 → 10 → 20 gives three points, an MLP one.
    /// </summary>
    private static IReadOnlyList<ScalingPoint> ScalingPoints(CompareSpec spec, IReadOnlyList<ComparedRun> runs)
    {
        var points = new List<ScalingPoint>();
        foreach (var model in spec.Models)
        {
            var ends = runs.Where(r => r.Model == model && r.Succeeded)
                .SelectMany(r => r.Steps.Where((s, i) => i == r.Steps.Count - 1 || r.Steps[i + 1].Parameters != s.Parameters))
                .GroupBy(s => (s.Grid, s.Parameters, s.Step));
            foreach (var g in ends.OrderBy(g => g.Key.Step))
            {
                var rows = g.ToArray();
                points.Add(new ScalingPoint(model.Series, model.Label, g.Key.Grid, g.Key.Parameters, g.Key.Step, rows.Length,
                    Spread.GeometricMean(rows.Select(r => r.RelativeL2).ToArray()), Spread.GeometricMean(rows.Select(r => r.L2Squared).ToArray()),
                    Spread.GeometricMean(rows.Select(r => r.H1Squared).ToArray())));
            }
        }
        return points;
    }
}
