namespace Kan.Pde.Runner.Results;

/// <summary>
/// All output fields of a multi-output problem on one 2-D plotting grid: the whole domain of a steady problem, or one
/// time of an unsteady one.
/// </summary>
/// <param name="Label">What the slice is, e.g. "t = 1" (empty for a steady problem).</param>
/// <param name="FileSuffix">Appended to figure file names, e.g. "-t1" (empty for a steady problem).</param>
/// <param name="Names">Output names, e.g. u, v, p.</param>
/// <param name="Predicted">The trained fields, one per output.</param>
/// <param name="Exact">The exact fields, one per output, or null when there is no exact solution.</param>
/// <param name="UpToConstant">Per output: fixed only up to a constant (its error map removes the mean difference).</param>
public sealed record FieldSlice(string Label, string FileSuffix, IReadOnlyList<string> Names, IReadOnlyList<FieldGrid2D> Predicted,
    IReadOnlyList<FieldGrid2D>? Exact, IReadOnlyList<bool> UpToConstant)
{
    /// <summary>Index of the output called <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int k = 0; k < Names.Count; k++) if (Names[k] == name) return k;
        return -1;
    }

    /// <summary>Pointwise |predicted − exact| of output <paramref name="k"/> (mean difference removed for gauge outputs).</summary>
    public FieldGrid2D Error(int k)
    {
        var p = Predicted[k];
        var e = Exact![k];
        int ny = p.Ys.Length, nx = p.Xs.Length;
        double offset = 0;
        if (UpToConstant[k])
        {
            for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) offset += p.Values[j, i] - e.Values[j, i];
            offset /= nx * ny;
        }
        var diff = new double[ny, nx];
        for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) diff[j, i] = Math.Abs(p.Values[j, i] - e.Values[j, i] - offset);
        return new FieldGrid2D(p.Xs, p.Ys, diff, $"|{Names[k]} − {Names[k]}*|");
    }
}

/// <summary>
/// Outputs along a line through the domain next to reference samples on it (e.g. a cavity's centreline velocity and
/// Ghia et al.'s points).
/// </summary>
/// <param name="Name">Reference set name (names the figure).</param>
/// <param name="Line">What the line is, e.g. "x = 0.5".</param>
/// <param name="Coordinate">Name of the coordinate along the line.</param>
/// <param name="Along">Coordinate values of the predicted curve.</param>
/// <param name="Outputs">Per output with reference data: name, predicted values along the line, reference samples.</param>
/// <param name="Source">Where the reference data come from (the file).</param>
public sealed record Profile(string Name, string Line, string Coordinate, double[] Along,
    IReadOnlyList<(string Output, double[] Predicted, double[] SampleAt, double[] SampleValue)> Outputs, string Source);
