namespace Kan.Pde.Core.Splines;

/// <summary>
/// The B-spline basis of one knot vector written as polynomials per knot interval. On interval
/// [t_j, t_{j+1}) only the k+1 functions B_{j-k}..B_j are non-zero; each is a degree-k polynomial in the
/// local coordinate u = (x - t_j)/(t_{j+1} - t_j). Building these once per grid change (host side, exact
/// polynomial arithmetic of the Cox–de Boor recursion) turns evaluation into a lookup plus one small
/// matrix-vector product per point, and derivatives into the same product with differentiated rows.
/// </summary>
public static class LocalPolynomials
{
    /// <summary>
    /// Coefficients [interval j][local function r][power p] of B_{j-k+r} on interval j, for
    /// j = 0..knots.Length-2, in powers of u. Functions that do not exist (index outside 0..n-k-2)
    /// and degenerate intervals get zero rows.
    /// </summary>
    public static double[][][] Build(IReadOnlyList<double> knots, int order)
    {
        int intervals = knots.Count - 1, k = order;
        int functionCount = knots.Count - k - 1;
        var table = new double[intervals][][];
        for (int j = 0; j < intervals; j++)
        {
            double tj = knots[j], h = knots[j + 1] - tj;
            var rows = new double[k + 1][];
            if (!(h > 0))
            {
                for (int r = 0; r <= k; r++) rows[r] = new double[k + 1];
                table[j] = rows;
                continue;
            }
            // prev[r] = B_{j-p+r, p} as a polynomial in u, for the current degree p.
            var prev = new[] { new double[] { 1.0 } };
            for (int p = 1; p <= k; p++)
            {
                var next = new double[p + 1][];
                for (int r = 0; r <= p; r++)
                {
                    int m = j - p + r;
                    var poly = new double[p + 1];
                    if (m >= 0 && m + p + 1 <= knots.Count - 1)
                    {
                        // (x - t_m)/(t_{m+p} - t_m) · B_{m,p-1}, with x = t_j + h·u
                        if (r - 1 >= 0) AddLinearTimes(poly, prev[r - 1], tj - knots[m], h, knots[m + p] - knots[m]);
                        // (t_{m+p+1} - x)/(t_{m+p+1} - t_{m+1}) · B_{m+1,p-1}
                        if (r <= p - 1) AddLinearTimes(poly, prev[r], knots[m + p + 1] - tj, -h, knots[m + p + 1] - knots[m + 1]);
                    }
                    next[r] = poly;
                }
                prev = next;
            }
            for (int r = 0; r <= k; r++)
            {
                int m = j - k + r;
                rows[r] = m >= 0 && m < functionCount ? Pad(prev[r], k + 1) : new double[k + 1];
            }
            table[j] = rows;
        }
        return table;
    }

    /// <summary>poly += (a + b·u)/den · q, skipped when den is 0 (the 0/0 convention).</summary>
    private static void AddLinearTimes(double[] poly, double[] q, double a, double b, double den)
    {
        if (den == 0) return;
        for (int p = 0; p < q.Length; p++)
        {
            poly[p] += a * q[p] / den;
            poly[p + 1] += b * q[p] / den;
        }
    }

    private static double[] Pad(double[] poly, int length)
    {
        var result = new double[length];
        Array.Copy(poly, result, Math.Min(poly.Length, length));
        return result;
    }
}
