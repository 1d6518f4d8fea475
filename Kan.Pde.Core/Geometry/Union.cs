namespace Kan.Pde.Core.Geometry;

/// <summary>Points in any of the operands.</summary>
public sealed class Union : SetOperation
{
    /// <summary>The union of <paramref name="operands"/>.</summary>
    public Union(IReadOnlyList<IRegion> operands) : base(operands) => Bounds = Hull(operands.Select(o => o.Bounds), overlap: false);

    /// <inheritdoc />
    public override Box Bounds { get; }

    /// <inheritdoc />
    public override double SignedDistance(ReadOnlySpan<double> point)
    {
        double s = double.PositiveInfinity;
        for (int i = 0; i < Operands.Count; i++) s = Math.Min(s, DistanceTo(i, point));
        return s;
    }

    /// <summary>Kept when outside every other operand; a coinciding piece facing the same way is kept once (by the first operand).</summary>
    protected override bool Keeps(int operand, ReadOnlySpan<double> point, ReadOnlySpan<double> normal)
    {
        for (int j = 0; j < Operands.Count; j++)
        {
            if (j == operand) continue;
            int side = Side(j, point, normal, out double alignment);
            if (side < 0 || (side == 0 && (alignment <= 0 || j < operand))) return false;
        }
        return true;
    }
}
