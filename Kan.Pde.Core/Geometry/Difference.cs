namespace Kan.Pde.Core.Geometry;

/// <summary>Points of the first operand that lie in none of the others.</summary>
public sealed class Difference : SetOperation
{
    /// <summary>The first of <paramref name="operands"/> minus the rest.</summary>
    public Difference(IReadOnlyList<IRegion> operands) : base(operands) => Bounds = operands[0].Bounds;

    /// <inheritdoc />
    public override Box Bounds { get; }

    /// <inheritdoc />
    public override double SignedDistance(ReadOnlySpan<double> point)
    {
        double s = DistanceTo(0, point);
        for (int i = 1; i < Operands.Count; i++) s = Math.Max(s, -DistanceTo(i, point));
        return s;
    }

    /// <inheritdoc />
    protected override bool Flips(int operand) => operand > 0;

    /// <summary>
    /// The first operand's boundary is kept outside the removed shapes and where one only touches it from outside;
    /// a removed shape's boundary is kept strictly inside the first operand and outside the other removed shapes.
    /// </summary>
    protected override bool Keeps(int operand, ReadOnlySpan<double> point, ReadOnlySpan<double> normal)
    {
        if (operand == 0)
        {
            for (int j = 1; j < Operands.Count; j++)
            {
                int side = Side(j, point, normal, out double alignment);
                if (side < 0 || (side == 0 && alignment >= 0)) return false;
            }
            return true;
        }
        if (Side(0, point, normal, out _) >= 0) return false;
        for (int j = 1; j < Operands.Count; j++)
        {
            if (j == operand) continue;
            int side = Side(j, point, normal, out double alignment);
            if (side < 0 || (side == 0 && (alignment <= 0 || j < operand))) return false;
        }
        return true;
    }
}
