namespace Kan.Pde.Runner.Results;

/// <summary>Figure sizes and styling choices for <see cref="ResultsWriter"/>.</summary>
public sealed record ResultsWriterOptions
{
    /// <summary>Default options.</summary>
    public static ResultsWriterOptions Default { get; } = new();

    /// <summary>Pixel width of <c>convergence.png</c>.</summary>
    public int ConvergenceWidth { get; init; } = 1200;

    /// <summary>Pixel height of <c>convergence.png</c>.</summary>
    public int ConvergenceHeight { get; init; } = 900;

    /// <summary>Pixel width of each heat map (<c>solution.png</c>, <c>exact.png</c>, <c>error.png</c>).</summary>
    public int FieldWidth { get; init; } = 900;

    /// <summary>
    /// Largest pixel height of a heat map. The height follows the domain's aspect ratio so that x and y share one
    /// scale (see <see cref="FieldImageSize"/>); tall domains are capped here and narrowed instead.
    /// </summary>
    public int MaxFieldHeight { get; init; } = 1000;

    /// <summary>
    /// Colour the error map by log10|e|. PINN errors typically span several decades across the domain
    /// (small in the interior, large near boundaries or singularities); a linear map shows only the worst spot.
    /// </summary>
    public bool LogScaleError { get; init; } = true;

    /// <summary>Decades below the maximum error that the log colour map still resolves; smaller errors saturate.</summary>
    public double ErrorDecades { get; init; } = 6;

    /// <summary>Pixel size of the heat maps drawn for <paramref name="field"/>.</summary>
    public (int Width, int Height) FieldImageSize(FieldGrid2D field)
    {
        ArgumentNullException.ThrowIfNull(field);
        double aspect = (field.Xs[^1] - field.Xs[0]) / (field.Ys[^1] - field.Ys[0]);
        return (FieldWidth, FieldPlot.HeightFor(FieldWidth, MaxFieldHeight, aspect));
    }
}
