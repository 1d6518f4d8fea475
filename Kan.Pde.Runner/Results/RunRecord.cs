namespace Kan.Pde.Runner.Results;

/// <summary>Everything <see cref="ResultsWriter"/> persists for one run.</summary>
public sealed record RunRecord
{
    /// <summary>Final metrics, written to <c>metrics.json</c>.</summary>
    public required RunMetrics Metrics { get; init; }

    /// <summary>Training history in step order, written to <c>history.csv</c> and plotted.</summary>
    public IReadOnlyList<HistoryRow> History { get; init; } = [];

    /// <summary>Grid refinements, drawn as markers on the convergence plot.</summary>
    public IReadOnlyList<GridChange> GridChanges { get; init; } = [];

    /// <summary>The trained model's prediction u_θ on a plotting grid.</summary>
    public FieldGrid2D? Prediction { get; init; }

    /// <summary>The reference solution on the same grid, when one is known.</summary>
    public FieldGrid2D? Exact { get; init; }

    /// <summary>
    /// Pointwise error field. When null but both <see cref="Prediction"/> and <see cref="Exact"/> are given,
    /// the writer derives |u_θ − u*| itself.
    /// </summary>
    public FieldGrid2D? Error { get; init; }

    /// <summary>Further files a problem family adds (e.g. its potential), written into the same folder.</summary>
    public IReadOnlyList<FigureFile> Figures { get; init; } = [];
}

/// <summary>A file in a results folder written by a callback given the file's full path.</summary>
/// <param name="Name">Plain file name, e.g. "landscape.png".</param>
/// <param name="Write">Writes the file at the path it is given.</param>
public sealed record FigureFile(string Name, Action<string> Write);
