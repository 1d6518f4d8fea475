namespace Kan.Pde.Core.Splines;

/// <summary>
/// Scalar Cox–de Boor recursion over a whole knot vector: the textbook definition, used as the
/// independent reference for the fast tensor evaluation and for host-side work on knots.
/// Order 0 is the half-open indicator t_m ≤ x &lt; t_{m+1}; 0/0 from coincident knots counts as 0.
/// </summary>
public static class CoxDeBoor
{
    /// <summary>All degree-<paramref name="order"/> basis functions B_m(x), m = 0..knots.Length-order-2.</summary>
    public static double[] Evaluate(IReadOnlyList<double> knots, int order, double x)
    {
        int n = knots.Count - 1;
        var b = new double[n];
        for (int m = 0; m < n; m++) b[m] = knots[m] <= x && x < knots[m + 1] ? 1.0 : 0.0;
        for (int p = 1; p <= order; p++)
        {
            var next = new double[n - p];
            for (int m = 0; m < n - p; m++)
            {
                double left = Ratio(x - knots[m], knots[m + p] - knots[m]) * b[m];
                double right = Ratio(knots[m + p + 1] - x, knots[m + p + 1] - knots[m + 1]) * b[m + 1];
                next[m] = left + right;
            }
            b = next;
        }
        return b;
    }

    private static double Ratio(double num, double den) => den == 0 ? 0 : num / den;
}
