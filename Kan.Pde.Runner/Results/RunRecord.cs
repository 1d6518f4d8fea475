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

    /// <summary>Multi-output problems: every output on 2-D grids (the domain, or time slices of an unsteady problem).</summary>
    public IReadOnlyList<FieldSlice> Slices { get; init; } = [];

    /// <summary>Outputs along lines that carry reference samples, with those samples.</summary>
    public IReadOnlyList<Profile> Profiles { get; init; } = [];

    /// <summary>
    /// Every field (prediction, reference and error of each output) on the evaluation mesh, written as
    /// <c>fields.vtk</c> (1 to 3 axes) and <c>fields.csv</c>; null writes neither.
    /// </summary>
    public MeshFields? Fields { get; init; }

    /// <summary>The spec text the run was started from, copied as <c>spec.yaml</c> and shown in the report; null omits both.</summary>
    public string? SpecText { get; init; }

    /// <summary>Further files (name in the folder, writer given the full path), written with the others, e.g. formula.txt.</summary>
    public IReadOnlyList<ExtraFile> ExtraFiles { get; init; } = [];
}

/// <summary>A file a command adds to its results folder: a plain file name and the action that writes it to a path.</summary>
public sealed record ExtraFile(string Name, Action<string> Write);
