namespace Kan.Pde.Runner.Results;

/// <summary>
/// Streamlines of a 2-D velocity field sampled on a uniform grid, for plots: curves traced from seeds on a coarse
/// lattice in both directions with fourth-order Runge–Kutta steps along the unit direction (so steps are arc length),
/// stopped at the domain's edge, in stagnant regions, or where they run into a lattice cell already crossed by another
/// curve. Seeds sit on a coarse lattice and a seed is used only where no curve passes nearby; curves stop where they
/// come within half a lattice cell of another, which keeps the spacing between curves roughly even.
/// </summary>
internal static class Streamlines
{
    /// <summary>Traces streamlines of (u, v); each curve is a list of (x, y) points in flow direction.</summary>
    /// <param name="u">x-velocity on the grid.</param>
    /// <param name="v">y-velocity on the same grid.</param>
    /// <param name="density">Lattice cells along the shorter side; about the number of curves across it.</param>
    public static IReadOnlyList<(double[] X, double[] Y)> Trace(FieldGrid2D u, FieldGrid2D v, int density = 22)
    {
        double x0 = u.Xs[0], x1 = u.Xs[^1], y0 = u.Ys[0], y1 = u.Ys[^1];
        double cell = Math.Min(x1 - x0, y1 - y0) / density;
        int nx = Math.Max(1, (int)Math.Round((x1 - x0) / cell)), ny = Math.Max(1, (int)Math.Round((y1 - y0) / cell));
        double cx = (x1 - x0) / nx, cy = (y1 - y0) / ny;
        // Ownership is tracked on a lattice twice as fine as the seeds'.
        int fx = 2 * nx, fy = 2 * ny;
        double fcx = cx / 2, fcy = cy / 2;
        var owner = new int[fy, fx];
        var visitedAt = new int[fy, fx];
        var visitedBy = new int[fy, fx];
        int clock = 0, pass = 0;
        double speedScale = 0;
        foreach (double a in u.Values) if (double.IsFinite(a)) speedScale = Math.Max(speedScale, Math.Abs(a));
        foreach (double a in v.Values) if (double.IsFinite(a)) speedScale = Math.Max(speedScale, Math.Abs(a));
        var curves = new List<(double[], double[])>();
        if (!(speedScale > 0)) return curves;
        double step = 0.25 * Math.Min(cx, cy);
        int maxSteps = (int)(8 * (nx + ny) * Math.Min(cx, cy) / step);
        // Steps a curve may take within its own cells (crossing one fine cell takes about two).
        int revisit = (int)Math.Ceiling(4 * Math.Max(fcx, fcy) / step);

        // Seeds from the centre outwards, so the first, longest curves sit in the middle of the picture.
        var seeds = new List<(int I, int J)>();
        for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) seeds.Add((i, j));
        seeds.Sort((a, b) => Distance(a, nx, ny).CompareTo(Distance(b, nx, ny)));
        int id = 0;
        foreach (var (i, j) in seeds)
        {
            if (!FreeAround(2 * i + 1, 2 * j + 1)) continue;
            id++;
            double sx = x0 + (i + 0.5) * cx, sy = y0 + (j + 0.5) * cy;
            var backward = Follow(sx, sy, -1);
            var forward = Follow(sx, sy, +1);
            backward.Reverse();
            var points = backward.Concat(forward.Skip(1)).ToList();
            if (points.Count * step < 1.5 * Math.Min(cx, cy)) continue;
            curves.Add((points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray()));
        }
        return curves;

        List<(double X, double Y)> Follow(double x, double y, int direction)
        {
            var path = new List<(double, double)> { (x, y) };
            int start = clock;
            pass++;
            for (int n = 0; n < maxSteps; n++)
            {
                if (!Direction(x, y, out var k1x, out var k1y)) break;
                double h = direction * step;
                if (!Direction(x + 0.5 * h * k1x, y + 0.5 * h * k1y, out var k2x, out var k2y)) break;
                if (!Direction(x + 0.5 * h * k2x, y + 0.5 * h * k2y, out var k3x, out var k3y)) break;
                if (!Direction(x + h * k3x, y + h * k3y, out var k4x, out var k4y)) break;
                double nxp = x + h * (k1x + 2 * k2x + 2 * k3x + k4x) / 6, nyp = y + h * (k1y + 2 * k2y + 2 * k3y + k4y) / 6;
                if (nxp < x0 || nxp > x1 || nyp < y0 || nyp > y1) break;
                int ci = Math.Min(fx - 1, (int)((nxp - x0) / fcx)), cj = Math.Min(fy - 1, (int)((nyp - y0) / fcy));
                clock++;
                if (owner[cj, ci] != 0 && owner[cj, ci] != id) break;
                // Back in a cell this curve crossed a while ago (or, once clear of the seed, one the other direction
                // crossed): a closed orbit, drawn once.
                if (owner[cj, ci] == id && (visitedBy[cj, ci] == pass ? clock - visitedAt[cj, ci] : clock - start) > revisit) break;
                if (owner[cj, ci] != id) (visitedAt[cj, ci], visitedBy[cj, ci]) = (clock, pass);
                owner[cj, ci] = id;
                x = nxp;
                y = nyp;
                path.Add((x, y));
            }
            return path;
        }

        bool FreeAround(int i, int j)
        {
            for (int b = Math.Max(0, j - 1); b <= Math.Min(fy - 1, j + 1); b++)
                for (int a = Math.Max(0, i - 1); a <= Math.Min(fx - 1, i + 1); a++)
                    if (owner[b, a] != 0) return false;
            return true;
        }

        bool Direction(double x, double y, out double dx, out double dy)
        {
            dx = Bilinear(u, x, y);
            dy = Bilinear(v, x, y);
            double speed = Math.Sqrt(dx * dx + dy * dy);
            if (!(speed > 1e-6 * speedScale)) return false;
            dx /= speed;
            dy /= speed;
            return true;
        }
    }

    private static double Distance((int I, int J) cell, int nx, int ny) =>
        Math.Abs(cell.I + 0.5 - nx / 2.0) + Math.Abs(cell.J + 0.5 - ny / 2.0) + 1e-3 * (cell.J * nx + cell.I);

    /// <summary>Bilinear interpolation of a field on its uniform grid (NaN outside).</summary>
    public static double Bilinear(FieldGrid2D f, double x, double y)
    {
        int nx = f.Xs.Length, ny = f.Ys.Length;
        double fx = (x - f.Xs[0]) / (f.Xs[^1] - f.Xs[0]) * (nx - 1), fy = (y - f.Ys[0]) / (f.Ys[^1] - f.Ys[0]) * (ny - 1);
        if (!(fx >= 0 && fx <= nx - 1 && fy >= 0 && fy <= ny - 1)) return double.NaN;
        int i = Math.Min(nx - 2, (int)fx), j = Math.Min(ny - 2, (int)fy);
        double a = fx - i, b = fy - j;
        return (1 - a) * (1 - b) * f.Values[j, i] + a * (1 - b) * f.Values[j, i + 1] + (1 - a) * b * f.Values[j + 1, i] + a * b * f.Values[j + 1, i + 1];
    }
}
