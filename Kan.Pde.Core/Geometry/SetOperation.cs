namespace Kan.Pde.Core.Geometry;

/// <summary>
/// A region built from others (union, intersection, difference). Its boundary parts are those of its
/// operands, in order, and must have distinct names (name an operand to merge its parts into one). A
/// boundary point of an operand is kept when it lies on the boundary of the result, which each operation
/// decides from the signed distances of the other operands; where two operand boundaries coincide, their
/// outward normals decide whether the piece is boundary (same side) or a seam inside the result.
/// </summary>
public abstract class SetOperation : Region
{
    private readonly IRegion[] _operands;
    private readonly int[] _partOffset;
    private readonly double[] _cumulative;

    /// <summary>Combines <paramref name="operands"/> (at least 2, all over the same coordinates).</summary>
    protected SetOperation(IReadOnlyList<IRegion> operands) : base(CommonVariables(operands))
    {
        _operands = operands.ToArray();
        _partOffset = new int[_operands.Length];
        var names = new List<string>();
        for (int i = 0; i < _operands.Length; i++)
        {
            _partOffset[i] = names.Count;
            foreach (var name in _operands[i].BoundaryParts)
            {
                if (names.Contains(name))
                    throw new ArgumentException($"boundary part '{name}' appears in two operands; give the shapes names so that every part is named once");
                names.Add(name);
            }
        }
        BoundaryParts = names;
        _cumulative = new double[_operands.Length + 1];
        for (int i = 0; i < _operands.Length; i++) _cumulative[i + 1] = _cumulative[i] + _operands[i].BoundaryMeasure;
    }

    /// <summary>The operands.</summary>
    public IReadOnlyList<IRegion> Operands => _operands;

    /// <inheritdoc />
    public override IReadOnlyList<string> BoundaryParts { get; }

    /// <inheritdoc />
    public override double BoundaryMeasure => _cumulative[^1];

    /// <summary>Whether the point of operand <paramref name="operand"/>'s boundary (with its normal) is boundary of the result.</summary>
    protected abstract bool Keeps(int operand, ReadOnlySpan<double> point, ReadOnlySpan<double> normal);

    /// <summary>Whether operand <paramref name="operand"/>'s normals flip (a subtracted shape's outside is the result's inside).</summary>
    protected virtual bool Flips(int operand) => false;

    /// <summary>u₀ runs through the operands in turn, each for a share equal to its boundary measure.</summary>
    public override bool TryBoundaryPoint(ReadOnlySpan<double> u, Span<double> point, Span<double> normal, out int part)
    {
        double s = u[0] * _cumulative[^1];
        int i = 0;
        while (i < _operands.Length - 1 && s >= _cumulative[i + 1]) i++;
        Span<double> inner = stackalloc double[u.Length];
        u.CopyTo(inner);
        inner[0] = Math.Clamp((s - _cumulative[i]) / (_cumulative[i + 1] - _cumulative[i]), 0, Math.BitDecrement(1.0));
        part = -1;
        if (!_operands[i].TryBoundaryPoint(inner, point, normal, out int own)) return false;
        if (!Keeps(i, point, normal)) return false;
        if (Flips(i)) for (int d = 0; d < Dimension; d++) normal[d] = -normal[d];
        part = _partOffset[i] + own;
        return true;
    }

    /// <summary>The operands' mesh boundaries, each filtered to the points on the result's boundary.</summary>
    public override BoundarySample MeshBoundarySample(int pointsPerPart)
    {
        BoundarySample? all = null;
        for (int i = 0; i < _operands.Length; i++)
        {
            var own = _operands[i].MeshBoundarySample(pointsPerPart);
            int D = Dimension, operand = i;
            var kept = own.Where(k => Keeps(operand, own.Points.AsSpan(k * D, D), own.Normals.AsSpan(k * D, D)),
                p => _partOffset[operand] + p, Flips(operand));
            all = all is null ? kept : all.Concat(kept);
        }
        return all!;
    }

    /// <summary>
    /// How the boundary of operand <paramref name="other"/> relates to a point: −1 strictly inside it, +1 strictly
    /// outside, 0 on it; for 0, <paramref name="alignment"/> is the dot product of <paramref name="normal"/> with its outward normal there.
    /// </summary>
    protected int Side(int other, ReadOnlySpan<double> point, ReadOnlySpan<double> normal, out double alignment)
    {
        alignment = 0;
        double s = _operands[other].SignedDistance(point), tol = Tolerance;
        if (s < -tol) return -1;
        if (s > tol) return 1;
        var n = RegionGeometry.NormalByGradient(_operands[other], point);
        for (int d = 0; d < n.Length; d++) alignment += n[d] * normal[d];
        return 0;
    }

    /// <summary>The signed distance of operand <paramref name="i"/>.</summary>
    protected double DistanceTo(int i, ReadOnlySpan<double> point) => _operands[i].SignedDistance(point);

    private static IReadOnlyList<string> CommonVariables(IReadOnlyList<IRegion> operands)
    {
        if (operands.Count < 2) throw new ArgumentException("a set operation needs at least 2 shapes");
        var first = operands[0].Variables;
        foreach (var o in operands)
            if (!o.Variables.SequenceEqual(first))
                throw new ArgumentException($"all shapes must use the same coordinates ({string.Join(", ", first)}), got ({string.Join(", ", o.Variables)})");
        return first;
    }

    /// <summary>The smallest box around all <paramref name="boxes"/> (or their overlap when <paramref name="overlap"/>).</summary>
    protected static Box Hull(IEnumerable<Box> boxes, bool overlap)
    {
        var list = boxes.ToArray();
        var axes = list[0].Axes.Select((a, d) =>
        {
            double lo = overlap ? list.Max(b => b.Axes[d].Lo) : list.Min(b => b.Axes[d].Lo);
            double hi = overlap ? list.Min(b => b.Axes[d].Hi) : list.Max(b => b.Axes[d].Hi);
            if (!(hi > lo)) throw new ArgumentException("the shapes of the intersection do not overlap");
            return new Interval(a.Name, lo, hi);
        }).ToArray();
        return new Box(axes);
    }
}
