namespace Kan.Pde.Core.Geometry;

/// <summary>A disk (2-D) or ball (3-D) with one boundary part, its circle or sphere.</summary>
public sealed class Ball : Region
{
    private readonly double[] _centre;

    /// <summary>The ball of <paramref name="radius"/> around <paramref name="centre"/>; its boundary part is called <paramref name="partName"/>.</summary>
    public Ball(IReadOnlyList<string> variables, IReadOnlyList<double> centre, double radius, string? partName = null) : base(variables)
    {
        if (Dimension < 2) throw new ArgumentException("a disk needs 2 coordinates and a ball 3; in 1-D use an interval");
        if (centre.Count != Dimension) throw new ArgumentException($"the centre needs {Dimension} coordinates, got {centre.Count}");
        if (!(radius > 0) || !double.IsFinite(radius)) throw new ArgumentException($"the radius must be positive and finite, got {radius}");
        if (centre.Any(c => !double.IsFinite(c))) throw new ArgumentException("the centre must be finite");
        _centre = centre.ToArray();
        Radius = radius;
        BoundaryParts = new[] { partName ?? (Dimension == 2 ? "circle" : "sphere") };
        Bounds = new Box(Variables.Select((v, d) => new Interval(v, _centre[d] - radius, _centre[d] + radius)).ToArray());
    }

    /// <summary>Centre.</summary>
    public IReadOnlyList<double> Centre => _centre;

    /// <summary>Radius.</summary>
    public double Radius { get; }

    /// <inheritdoc />
    public override Box Bounds { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> BoundaryParts { get; }

    /// <inheritdoc />
    public override double BoundaryMeasure => Dimension == 2 ? 2 * Math.PI * Radius : 4 * Math.PI * Radius * Radius;

    /// <inheritdoc />
    public override double SignedDistance(ReadOnlySpan<double> point)
    {
        double r2 = 0;
        for (int d = 0; d < Dimension; d++) r2 += (point[d] - _centre[d]) * (point[d] - _centre[d]);
        return Math.Sqrt(r2) - Radius;
    }

    /// <summary>2-D: angle 2π·u₀. 3-D: longitude 2π·u₀ and height 1 − 2u₁ (uniform by area, Archimedes).</summary>
    public override bool TryBoundaryPoint(ReadOnlySpan<double> u, Span<double> point, Span<double> normal, out int part)
    {
        part = 0;
        double phi = 2 * Math.PI * u[0];
        if (Dimension == 2)
        {
            normal[0] = Math.Cos(phi);
            normal[1] = Math.Sin(phi);
        }
        else
        {
            double z = 1 - 2 * u[1], rho = Math.Sqrt(Math.Max(0, 1 - z * z));
            normal[0] = rho * Math.Cos(phi);
            normal[1] = rho * Math.Sin(phi);
            normal[2] = z;
        }
        for (int d = 0; d < Dimension; d++) point[d] = _centre[d] + Radius * normal[d];
        return true;
    }

    /// <summary>2-D: n points at equal angles. 3-D: n·n points on a Fibonacci lattice (nearly even spacing).</summary>
    public override BoundarySample MeshBoundarySample(int pointsPerPart)
    {
        if (pointsPerPart < 1) throw new ArgumentOutOfRangeException(nameof(pointsPerPart));
        int count = Dimension == 2 ? pointsPerPart : pointsPerPart * pointsPerPart;
        var points = new double[count * Dimension];
        var normals = new double[count * Dimension];
        var u = new double[2];
        double golden = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < count; i++)
        {
            u[0] = Dimension == 2 ? (double)i / count : (i * golden) % 1.0;
            u[1] = (i + 0.5) / count;
            TryBoundaryPoint(u.AsSpan(0, BoundaryParameters), points.AsSpan(i * Dimension, Dimension), normals.AsSpan(i * Dimension, Dimension), out _);
        }
        return new BoundarySample(points, new int[count], normals, Dimension);
    }
}
