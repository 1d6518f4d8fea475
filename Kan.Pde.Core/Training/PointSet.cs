namespace Kan.Pde.Core.Training;

/// <summary>Which collocation points a loss term's residuals belong to.</summary>
public enum PointSet
{
    /// <summary>Not tied to collocation points (or not reported).</summary>
    None,
    /// <summary>One residual per interior point, in the order of <see cref="CollocationSet.Interior"/>.</summary>
    Interior,
    /// <summary>One residual per boundary point of the parts the term covers, in boundary order.</summary>
    Boundary,
}
