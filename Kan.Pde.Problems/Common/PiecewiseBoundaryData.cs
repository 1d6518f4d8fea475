using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Training;
using static TorchSharp.torch;

namespace Kan.Pde.Problems.Common;

/// <summary>
/// Boundary data given part by part: each boundary point takes the expression of the condition that
/// covers its part. Used for Dirichlet values and for any other per-part boundary quantity.
/// </summary>
public sealed class PiecewiseBoundaryData
{
    private readonly IReadOnlyList<(IReadOnlyList<string> Parts, Expr Value)> _pieces;

    /// <summary>Pieces (parts → expression); a part must appear at most once.</summary>
    public PiecewiseBoundaryData(IReadOnlyList<(IReadOnlyList<string> Parts, Expr Value)> pieces) => _pieces = pieces;

    /// <summary>The pieces.</summary>
    public IReadOnlyList<(IReadOnlyList<string> Parts, Expr Value)> Pieces => _pieces;

    /// <summary>The expression given on <paramref name="part"/>.</summary>
    public Expr ValueOn(string part) =>
        _pieces.FirstOrDefault(p => p.Parts.Contains(part)).Value ?? throw new ArgumentException($"no data on boundary part '{part}'", nameof(part));

    /// <summary>Every boundary part some piece covers.</summary>
    public IReadOnlyCollection<string> Parts => _pieces.SelectMany(p => p.Parts).ToHashSet();

    /// <summary>Which boundary points of <paramref name="points"/> some piece covers, as a bool array [M].</summary>
    public bool[] Covered(CollocationSet points) => points.OnParts(Parts);

    /// <summary>The data at the covered boundary points, in their order, as [M_covered].</summary>
    public Tensor Evaluate(CollocationSet points)
    {
        var boundary = points.Boundary;
        var values = zeros(boundary.shape[0], dtype: boundary.dtype, device: boundary.device);
        foreach (var (parts, value) in _pieces)
        {
            var mask = points.OnParts(parts);
            if (!mask.Any(m => m)) continue;
            values = where(tensor(mask, device: boundary.device), value.Evaluate(boundary), values);
        }
        return Select(values, Covered(points));
    }

    /// <summary>The rows of <paramref name="values"/> [M, …] where <paramref name="mask"/> is true (all rows when all are).</summary>
    public static Tensor Select(Tensor values, bool[] mask)
    {
        if (mask.All(m => m)) return values;
        var index = tensor(Enumerable.Range(0, mask.Length).Where(i => mask[i]).Select(i => (long)i).ToArray(), device: values.device);
        return values.index_select(0, index);
    }
}
