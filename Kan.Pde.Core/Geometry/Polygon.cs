namespace Kan.Pde.Core.Geometry;

/// <summary>
/// A simple polygon in the plane given by its vertices in order (either orientation). Each edge is a boundary
/// part: edge i runs from vertex i to vertex i+1 and is called "side-(i+1)" unless named.
/// </summary>
public sealed class Polygon : Region
{
    private readonly double[] _x, _y;
    private readonly double[] _cumulative;   // perimeter length before each edge
    private readonly double _orientation;    // +1 counter-clockwise, −1 clockwise

    /// <summary>The polygon with <paramref name="vertices"/> (at least 3, no repeated closing vertex).</summary>
    public Polygon(IReadOnlyList<string> variables, IReadOnlyList<(double X, double Y)> vertices, IReadOnlyList<string>? sideNames = null)
        : base(variables)
    {
        if (Dimension != 2) throw new ArgumentException("a polygon lives in the plane (2 coordinates)");
        if (vertices.Count < 3) throw new ArgumentException($"a polygon needs at least 3 vertices, got {vertices.Count}");
        if (vertices.Any(v => !double.IsFinite(v.X) || !double.IsFinite(v.Y))) throw new ArgumentException("vertices must be finite");
        int n = vertices.Count;
        _x = vertices.Select(v => v.X).ToArray();
        _y = vertices.Select(v => v.Y).ToArray();
        double area2 = 0;
        for (int i = 0; i < n; i++) area2 += _x[i] * _y[(i + 1) % n] - _x[(i + 1) % n] * _y[i];
        double scale = Math.Max(_x.Max() - _x.Min(), _y.Max() - _y.Min());
        if (!(Math.Abs(area2) > 1e-12 * scale * scale)) throw new ArgumentException("the polygon has no area (collinear vertices?)");
        _orientation = Math.Sign(area2);
        _cumulative = new double[n + 1];
        for (int i = 0; i < n; i++)
        {
            double length = EdgeLength(i);
            if (!(length > 1e-12 * scale)) throw new ArgumentException($"vertices {i + 1} and {(i + 1) % n + 1} coincide");
            _cumulative[i + 1] = _cumulative[i] + length;
        }
        CheckSimple();
        if (sideNames is not null && sideNames.Count != n)
            throw new ArgumentException($"expected {n} side names, one per edge, got {sideNames.Count}");
        BoundaryParts = sideNames?.ToArray() ?? Enumerable.Range(1, n).Select(i => $"side-{i}").ToArray();
        Bounds = new Box(new[] { new Interval(variables[0], _x.Min(), _x.Max()), new Interval(variables[1], _y.Min(), _y.Max()) });
    }

    /// <summary>Number of vertices (and edges).</summary>
    public int Count => _x.Length;

    /// <inheritdoc />
    public override Box Bounds { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> BoundaryParts { get; }

    /// <inheritdoc />
    public override double BoundaryMeasure => _cumulative[^1];

    /// <inheritdoc />
    public override double SignedDistance(ReadOnlySpan<double> point)
    {
        double px = point[0], py = point[1], best = double.PositiveInfinity;
        bool inside = false;
        for (int i = 0, j = Count - 1; i < Count; j = i++)
        {
            // Distance to the segment j→i.
            double ex = _x[i] - _x[j], ey = _y[i] - _y[j];
            double t = Math.Clamp(((px - _x[j]) * ex + (py - _y[j]) * ey) / (ex * ex + ey * ey), 0, 1);
            double dx = px - (_x[j] + t * ex), dy = py - (_y[j] + t * ey);
            best = Math.Min(best, dx * dx + dy * dy);
            // Even-odd crossing test of a ray towards +x.
            if ((_y[i] > py) != (_y[j] > py) && px < _x[j] + (py - _y[j]) * ex / ey) inside = !inside;
        }
        return inside ? -Math.Sqrt(best) : Math.Sqrt(best);
    }

    /// <summary>u₀ runs along the perimeter, edge after edge.</summary>
    public override bool TryBoundaryPoint(ReadOnlySpan<double> u, Span<double> point, Span<double> normal, out int part)
    {
        double s = u[0] * _cumulative[^1];
        int i = Array.BinarySearch(_cumulative, s);
        i = i >= 0 ? Math.Min(i, Count - 1) : ~i - 1;
        i = Math.Clamp(i, 0, Count - 1);
        double t = Math.Clamp((s - _cumulative[i]) / EdgeLength(i), 0, 1);
        PointOnEdge(i, t, point, normal);
        part = i;
        return true;
    }

    /// <summary><paramref name="pointsPerPart"/> evenly spaced points on every edge, both end points included.</summary>
    public override BoundarySample MeshBoundarySample(int pointsPerPart)
    {
        if (pointsPerPart < 2) throw new ArgumentOutOfRangeException(nameof(pointsPerPart), "a polygon edge needs at least its two end points");
        int count = Count * pointsPerPart;
        var points = new double[2 * count];
        var normals = new double[2 * count];
        var parts = new int[count];
        for (int i = 0, k = 0; i < Count; i++)
            for (int j = 0; j < pointsPerPart; j++, k++)
            {
                PointOnEdge(i, (double)j / (pointsPerPart - 1), points.AsSpan(2 * k, 2), normals.AsSpan(2 * k, 2));
                parts[k] = i;
            }
        return new BoundarySample(points, parts, normals, 2);
    }

    private void PointOnEdge(int i, double t, Span<double> point, Span<double> normal)
    {
        int j = (i + 1) % Count;
        double ex = _x[j] - _x[i], ey = _y[j] - _y[i], length = EdgeLength(i);
        point[0] = _x[i] + t * ex;
        point[1] = _y[i] + t * ey;
        // For a counter-clockwise polygon the outside lies to the right of each edge.
        normal[0] = _orientation * ey / length;
        normal[1] = -_orientation * ex / length;
    }

    private double EdgeLength(int i)
    {
        int j = (i + 1) % Count;
        return Math.Sqrt((_x[j] - _x[i]) * (_x[j] - _x[i]) + (_y[j] - _y[i]) * (_y[j] - _y[i]));
    }

    /// <summary>Refuses self-intersecting outlines: no two non-adjacent edges may meet.</summary>
    private void CheckSimple()
    {
        int n = Count;
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
            {
                if (b == a + 1 || (a == 0 && b == n - 1)) continue;
                if (SegmentsMeet(a, b)) throw new ArgumentException($"the polygon crosses itself: edges {a + 1} and {b + 1} meet");
            }
    }

    private bool SegmentsMeet(int a, int b)
    {
        int a2 = (a + 1) % Count, b2 = (b + 1) % Count;
        double d1 = Cross(b, b2, a), d2 = Cross(b, b2, a2), d3 = Cross(a, a2, b), d4 = Cross(a, a2, b2);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
        return (d1 == 0 && Within(b, b2, a)) || (d2 == 0 && Within(b, b2, a2)) || (d3 == 0 && Within(a, a2, b)) || (d4 == 0 && Within(a, a2, b2));
    }

    /// <summary>(q − p) × (r − p) for vertices p, q, r.</summary>
    private double Cross(int p, int q, int r) => (_x[q] - _x[p]) * (_y[r] - _y[p]) - (_y[q] - _y[p]) * (_x[r] - _x[p]);

    /// <summary>Whether vertex r, collinear with p and q, lies between them.</summary>
    private bool Within(int p, int q, int r) =>
        Math.Min(_x[p], _x[q]) <= _x[r] && _x[r] <= Math.Max(_x[p], _x[q]) && Math.Min(_y[p], _y[q]) <= _y[r] && _y[r] <= Math.Max(_y[p], _y[q]);
}
