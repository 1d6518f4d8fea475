using Kan.Pde.Core.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Geometry;

/// <summary>
/// Sampling and tests that work for any <see cref="IRegion"/>: interior points by acceptance from the
/// bounding box, boundary points from the parameterization, containment and normals from the signed distance.
/// </summary>
public static class RegionGeometry
{
    /// <summary>Relative size (to the bounding box's diagonal) under which a distance counts as zero.</summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>Absolute tolerance of <paramref name="region"/>: <see cref="RelativeTolerance"/> times its bounding box's diagonal.</summary>
    public static double Tolerance(IRegion region) =>
        RelativeTolerance * Math.Sqrt(region.Bounds.Axes.Sum(a => a.Length * a.Length));

    /// <summary>Points inside or on the boundary (distance ≤ tolerance), as a bool tensor [N].</summary>
    public static Tensor Contains(IRegion region, Tensor points)
    {
        int D = region.Dimension;
        if (points.dim() != 2 || points.shape[1] != D)
            throw new ArgumentException($"expected points [N, {D}], got [{string.Join(", ", points.shape)}]");
        var host = points.detach().to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray();
        long N = points.shape[0];
        var inside = new bool[N];
        double tol = Tolerance(region);
        for (long n = 0; n < N; n++) inside[n] = region.SignedDistance(host.AsSpan((int)(n * D), D)) <= tol;
        return tensor(inside, device: points.device);
    }

    /// <summary>
    /// <paramref name="count"/> interior points: points of <paramref name="sequence"/> mapped onto the bounding
    /// box, keeping those strictly inside, in order, drawing more until there are enough.
    /// </summary>
    public static Tensor Interior(IRegion region, IUnitSequence sequence, int count, ScalarType dtype, Device device) =>
        tensor(InteriorPoints(region, sequence, count), new long[] { count, region.Dimension }, dtype, device);

    /// <summary>As <see cref="Interior"/>, on the host: row-major [count · D].</summary>
    public static double[] InteriorPoints(IRegion region, IUnitSequence sequence, int count)
    {
        int D = region.Dimension;
        if (sequence.Dimension != D) throw new ArgumentException($"an interior sequence for {D} coordinates is needed, got {sequence.Dimension}");
        var axes = region.Bounds.Axes;
        var result = new double[(long)count * D];
        int have = 0, drawn = 0;
        double tol = Tolerance(region);
        var point = new double[D];
        while (have < count)
        {
            // Ask for what is missing, inflated by the acceptance rate seen so far (plus a margin).
            double rate = drawn == 0 ? 1 : Math.Max(0.01, (double)have / drawn);
            int batch = (int)Math.Min(int.MaxValue / Math.Max(1, D), Math.Ceiling((count - have) / rate * 1.1) + 16);
            if (drawn > 100_000 && have == 0) throw new InvalidOperationException("the region has no interior (no point of its bounding box lies inside)");
            var u = sequence.Next(batch);
            drawn += batch;
            for (int n = 0; n < batch && have < count; n++)
            {
                for (int d = 0; d < D; d++) point[d] = axes[d].Lo + axes[d].Length * u[(long)n * D + d];
                // Strictly inside: low-discrepancy points land exactly on grid-aligned boundaries (e.g. a re-entrant corner).
                if (region.SignedDistance(point) >= -tol) continue;
                Array.Copy(point, 0, result, (long)have * D, D);
                have++;
            }
        }
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> boundary points from the parameterization driven by <paramref name="sequence"/>,
    /// skipping parameters whose point a set operation dropped.
    /// </summary>
    public static BoundarySample Boundary(IRegion region, IUnitSequence sequence, int count)
    {
        int D = region.Dimension, P = region.BoundaryParameters;
        if (sequence.Dimension != P) throw new ArgumentException($"a boundary sequence for {P} parameters is needed, got {sequence.Dimension}");
        var points = new double[(long)count * D];
        var normals = new double[(long)count * D];
        var parts = new int[count];
        var point = new double[D];
        var normal = new double[D];
        int have = 0, drawn = 0;
        while (have < count)
        {
            double rate = drawn == 0 ? 1 : Math.Max(0.01, (double)have / drawn);
            int batch = (int)Math.Ceiling((count - have) / rate * 1.1) + 16;
            if (drawn > 100_000 && have == 0) throw new InvalidOperationException("the region has no boundary left after its set operations");
            var u = sequence.Next(batch);
            drawn += batch;
            for (int n = 0; n < batch && have < count; n++)
            {
                if (!region.TryBoundaryPoint(u.AsSpan(n * P, P), point, normal, out int part)) continue;
                Array.Copy(point, 0, points, (long)have * D, D);
                Array.Copy(normal, 0, normals, (long)have * D, D);
                parts[have++] = part;
            }
        }
        return new BoundarySample(points, parts, normals, D);
    }

    /// <summary>
    /// Outward unit normal of <paramref name="region"/> near a boundary point: the normalized gradient of the
    /// signed distance by central differences (exact for flat faces and spheres away from corners).
    /// </summary>
    public static double[] NormalByGradient(IRegion region, ReadOnlySpan<double> point)
    {
        int D = point.Length;
        double h = 1e-6 * Math.Sqrt(region.Bounds.Axes.Sum(a => a.Length * a.Length));
        var p = point.ToArray();
        var g = new double[D];
        double norm = 0;
        for (int d = 0; d < D; d++)
        {
            double keep = p[d];
            p[d] = keep + h;
            double plus = region.SignedDistance(p);
            p[d] = keep - h;
            double minus = region.SignedDistance(p);
            p[d] = keep;
            g[d] = (plus - minus) / (2 * h);
            norm += g[d] * g[d];
        }
        norm = Math.Sqrt(norm);
        if (norm > 0) for (int d = 0; d < D; d++) g[d] /= norm;
        return g;
    }
}
