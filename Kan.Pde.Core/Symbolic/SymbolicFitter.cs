namespace Kan.Pde.Core.Symbolic;

/// <summary>
/// Fits c·f(a·x + b) + d to samples (x, y) for a library function f, and ranks functions by fit quality and simplicity.
/// </summary>
/// <remarks>
/// For fixed (a, b) the best (c, d) is linear least squares, and R² is the squared correlation of f(a·x + b) with y, so
/// the search runs over (a, b) only: a coarse grid, then a few zoom levels around the best cells, on inputs rescaled to
/// [−1, 1] (so the grid does not depend on the data's units), then a Levenberg–Marquardt polish of all four parameters
/// on every sample. Symmetries cut the search: for odd and even f, a &gt; 0 suffices (the sign goes into c and b);
/// for powers, 1/x, √x, log and abs a scale of the argument is absorbed by c or d, so a = ±1; for exp a shift is
/// absorbed by c, so b = 0. A candidate whose argument range leaves f's domain (log or √ of non-positive numbers, 1/x
/// across 0, tan across a pole) or whose values overflow is never accepted.
/// </remarks>
public static class SymbolicFitter
{
    /// <summary>Fits c·f(a·x + b) + d to the samples by least squares.</summary>
    /// <exception cref="ArgumentException">x and y differ in length, are empty, or hold non-finite numbers.</exception>
    public static SymbolicFit Fit(IReadOnlyList<double> x, IReadOnlyList<double> y, SymbolicFunction function, SymbolicFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        options ??= SymbolicFitOptions.Default;
        var samples = Samples.Create(x, y);
        if (samples.Sst <= 0)
            // Constant data: c = 0 fits it exactly with any f; a = 0, b = 1 keeps every argument inside every domain.
            return new SymbolicFit(function, 0, 1, 0, samples.MeanY, 1);
        if (function.Freedom == ArgumentFreedom.None || samples.HalfWidth <= 0)
            return FitWithoutSearch(samples, function);

        var start = Search(samples, function, options);
        SymbolicFit? best = null;
        foreach (var (a, b) in start)
        {
            var fit = Polish(samples, function, a, b, options.PolishIterations);
            if (fit is not null && (best is null || fit.R2 > best.R2)) best = fit;
        }
        // No admissible argument at all (cannot happen for the library's functions on finite data): the constant fit.
        return best is null ? new SymbolicFit(function, 0, 1, 0, samples.MeanY, 0) : Canonical(best);
    }

    /// <summary>
    /// One representative of fits that are the same function: a &gt; 0 for functions with a sign symmetry, and for
    /// sin and cos also c &gt; 0 and b in [−π, π) (shifting by half a period flips the sign).
    /// </summary>
    private static SymbolicFit Canonical(SymbolicFit fit)
    {
        var f = fit.Function;
        if (f.Freedom == ArgumentFreedom.ScaleAndShift && fit.A < 0)
        {
            if (f == SymbolicFunction.Sigmoid) fit = fit with { A = -fit.A, B = -fit.B, C = -fit.C, D = fit.D + fit.C };
            else if (f == SymbolicFunction.Cos || f == SymbolicFunction.Cosh || f == SymbolicFunction.Gaussian) fit = fit with { A = -fit.A, B = -fit.B };
            else fit = fit with { A = -fit.A, B = -fit.B, C = -fit.C };   // odd: sin, tan, tanh, arctan
        }
        if (f == SymbolicFunction.Sin || f == SymbolicFunction.Cos)
        {
            double b = fit.B, c = fit.C;
            if (c < 0)
            {
                c = -c;
                b += Math.PI;
            }
            b -= 2 * Math.PI * Math.Floor((b + Math.PI) / (2 * Math.PI));
            fit = fit with { B = b, C = c };
        }
        return fit;
    }

    /// <summary>
    /// Fits every function in <paramref name="functions"/> (default: the whole library) and returns the fits ordered
    /// best first by <see cref="Score"/> (ties: higher R²).
    /// </summary>
    public static IReadOnlyList<SymbolicFit> Rank(IReadOnlyList<double> x, IReadOnlyList<double> y,
        IEnumerable<SymbolicFunction>? functions = null, SymbolicFitOptions? options = null)
    {
        options ??= SymbolicFitOptions.Default;
        var fits = (functions ?? SymbolicLibrary.All).Select(f => Fit(x, y, f, options)).ToList();
        return fits.OrderByDescending(f => Score(f, options)).ThenByDescending(f => f.R2).ToArray();
    }

    /// <summary>
    /// Quality minus cost: the "nines" of R² (−log10(1 − R²), capped at <see cref="SymbolicFitOptions.MaxNines"/>) minus
    /// <see cref="SymbolicFitOptions.ComplexityWeight"/> × the function's complexity. With the defaults an R² of
    /// 0.999999 for x scores 5.5 and for sin 5: one more digit of R² pays for two units of complexity.
    /// </summary>
    public static double Score(SymbolicFit fit, SymbolicFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        options ??= SymbolicFitOptions.Default;
        double residual = Math.Max(1 - fit.R2, Math.Pow(10, -options.MaxNines));
        double nines = double.IsFinite(residual) ? -Math.Log10(residual) : double.NegativeInfinity;
        return nines - options.ComplexityWeight * fit.Function.Complexity;
    }

    private static SymbolicFit FitWithoutSearch(Samples s, SymbolicFunction f)
    {
        if (f == SymbolicFunction.X && s.HalfWidth > 0)
        {
            // Ordinary linear regression: c·x + d.
            double sxy = 0, sxx = 0;
            for (int k = 0; k < s.Count; k++)
            {
                sxy += (s.X[k] - s.MeanX) * (s.Y[k] - s.MeanY);
                sxx += (s.X[k] - s.MeanX) * (s.X[k] - s.MeanX);
            }
            double c = sxy / sxx, d = s.MeanY - c * s.MeanX;
            return new SymbolicFit(f, 1, 0, c, d, s.RSquared(1, 0, c, d, f));
        }
        // The zero function (or inputs that do not vary): the best is the constant mean, R² = 0.
        return new SymbolicFit(f, f == SymbolicFunction.Zero ? 1 : 0, f == SymbolicFunction.Zero ? 0 : 1, 0, s.MeanY, 0);
    }

    /// <summary>Coarse grid plus zoom levels on a subsample; returns starting points (a, b) in the data's units.</summary>
    private static IEnumerable<(double A, double B)> Search(Samples full, SymbolicFunction f, SymbolicFitOptions o)
    {
        var s = full.Subsample(o.SearchSamples);
        // Argument z = κ(α t + β) with t = (x − m)/h ∈ [−1, 1]; κ = h for scale-free functions makes a = ±1 exactly.
        double kappa = f.Freedom == ArgumentFreedom.ShiftOnly ? full.HalfWidth : 1;
        double maxShift = f.Period > 0 ? f.Period / 2 : o.MaxShift;
        int steps = Math.Max(3, o.CoarseSteps);

        double[] alphas, betas;
        switch (f.Freedom)
        {
            case ArgumentFreedom.ShiftOnly:
                alphas = new[] { -1.0, 1.0 };
                betas = Grid(-maxShift, maxShift, 2 * steps - 1);
                break;
            case ArgumentFreedom.ScaleOnly:
                alphas = Grid(-o.MaxScale, o.MaxScale, 2 * steps - 1).Where(a => a != 0).ToArray();
                betas = new[] { 0.0 };
                break;
            default:
                alphas = Grid(o.MaxScale / steps, o.MaxScale, steps);
                betas = Grid(-maxShift, maxShift, steps);
                break;
        }
        double dAlpha = alphas.Length > 2 ? alphas[1] - alphas[0] : 0;
        double dBeta = betas.Length > 1 ? betas[1] - betas[0] : 0;

        var scored = new List<(double R2, double Alpha, double Beta)>();
        foreach (double alpha in alphas)
            foreach (double beta in betas)
                if (s.Correlation(f, kappa, alpha, beta) is double r2) scored.Add((r2, alpha, beta));

        var starts = new List<(double, double)>();
        foreach (var (_, alpha0, beta0) in scored.OrderByDescending(c => c.R2).Take(Math.Max(1, o.Candidates)))
        {
            double alpha = alpha0, beta = beta0, da = dAlpha, db = dBeta, bestR2 = double.NegativeInfinity;
            for (int level = 0; level < o.Refinements; level++)
            {
                da /= 2.5;
                db /= 2.5;
                double centreA = alpha, centreB = beta;
                for (int i = -4; i <= 4; i++)
                    for (int j = -4; j <= 4; j++)
                    {
                        double a = centreA + i * da, b = centreB + j * db;
                        if (s.Correlation(f, kappa, a, b) is double r2 && r2 > bestR2)
                        {
                            bestR2 = r2;
                            alpha = a;
                            beta = b;
                        }
                    }
            }
            starts.Add((kappa * alpha / full.HalfWidth, kappa * (beta - alpha * full.Middle / full.HalfWidth)));
        }
        return starts;
    }

    /// <summary>Levenberg–Marquardt on the free parameters of (a, b, c, d), from (a, b) and the least-squares (c, d).</summary>
    private static SymbolicFit? Polish(Samples s, SymbolicFunction f, double a, double b, int iterations)
    {
        if (s.LinearPart(f, a, b) is not (double c, double d)) return null;
        var p = new[] { a, b, c, d };
        bool[] free = f.Freedom switch
        {
            ArgumentFreedom.ShiftOnly => new[] { false, true, true, true },
            ArgumentFreedom.ScaleOnly => new[] { true, false, true, true },
            _ => new[] { true, true, true, true },
        };
        double sse = s.Sse(p, f);
        if (!double.IsFinite(sse)) return null;
        double lambda = 1e-3;
        var jtj = new double[4, 4];
        var jtr = new double[4];
        var row = new double[4];
        for (int it = 0; it < iterations && sse > 0; it++)
        {
            Array.Clear(jtj);
            Array.Clear(jtr);
            for (int k = 0; k < s.Count; k++)
            {
                double z = p[0] * s.X[k] + p[1];
                double fz = f.Value(z), dz = f.FirstDerivative(z);
                double r = p[2] * fz + p[3] - s.Y[k];
                row[0] = p[2] * dz * s.X[k];
                row[1] = p[2] * dz;
                row[2] = fz;
                row[3] = 1;
                for (int i = 0; i < 4; i++)
                {
                    jtr[i] += row[i] * r;
                    for (int j = 0; j < 4; j++) jtj[i, j] += row[i] * row[j];
                }
            }
            bool improved = false;
            while (lambda < 1e12)
            {
                var step = Solve(jtj, jtr, free, lambda);
                if (step is not null)
                {
                    var trial = new double[4];
                    for (int i = 0; i < 4; i++) trial[i] = p[i] - step[i];
                    double trialSse = s.Sse(trial, f);
                    if (trialSse < sse)
                    {
                        bool tiny = sse - trialSse <= 1e-15 * sse;
                        p = trial;
                        sse = trialSse;
                        lambda = Math.Max(lambda / 3, 1e-12);
                        improved = !tiny;
                        break;
                    }
                }
                lambda *= 4;
            }
            if (!improved) break;
        }
        return new SymbolicFit(f, p[0], p[1], p[2], p[3], 1 - sse / s.Sst);
    }

    /// <summary>(JᵀJ + λ·diag(JᵀJ)) δ = Jᵀr restricted to the free parameters; null when singular.</summary>
    private static double[]? Solve(double[,] jtj, double[] jtr, bool[] free, double lambda)
    {
        var index = Enumerable.Range(0, 4).Where(i => free[i]).ToArray();
        int n = index.Length;
        var m = new double[n, n + 1];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++) m[r, c] = jtj[index[r], index[c]];
            m[r, r] += lambda * jtj[index[r], index[r]] + 1e-300;
            m[r, n] = jtr[index[r]];
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            if (!(Math.Abs(m[pivot, col]) > 0)) return null;
            if (pivot != col)
                for (int c = 0; c <= n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double factor = m[r, col] / m[col, col];
                for (int c = col; c <= n; c++) m[r, c] -= factor * m[col, c];
            }
        }
        var step = new double[4];
        for (int r = 0; r < n; r++) step[index[r]] = m[r, n] / m[r, r];
        return step.All(double.IsFinite) ? step : null;
    }

    private static double[] Grid(double lo, double hi, int count) =>
        Enumerable.Range(0, count).Select(i => count == 1 ? lo : lo + (hi - lo) * i / (count - 1)).ToArray();

    /// <summary>
    /// The samples with the statistics every candidate needs. A subsample keeps the full data's input range, so that
    /// the rescaled argument means the same in the search and in the polish, and domain checks cover all inputs.
    /// </summary>
    private sealed class Samples
    {
        private Samples(double[] x, double[] y, double lo, double hi)
        {
            X = x;
            Y = y;
            MeanX = x.Average();
            MeanY = y.Average();
            Sst = y.Sum(v => (v - MeanY) * (v - MeanY));
            Lo = lo;
            Hi = hi;
            Middle = 0.5 * (lo + hi);
            HalfWidth = 0.5 * (hi - lo);
        }

        public double[] X { get; }
        public double[] Y { get; }
        public int Count => X.Length;
        public double MeanX { get; }
        public double MeanY { get; }
        public double Sst { get; }
        public double Lo { get; }
        public double Hi { get; }
        public double Middle { get; }
        public double HalfWidth { get; }

        public static Samples Create(IReadOnlyList<double> x, IReadOnlyList<double> y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} samples but y has {y.Count}");
            if (x.Count == 0) throw new ArgumentException("no samples to fit");
            var xs = x.ToArray();
            var ys = y.ToArray();
            if (!xs.All(double.IsFinite) || !ys.All(double.IsFinite)) throw new ArgumentException("samples must be finite");
            return new Samples(xs, ys, xs.Min(), xs.Max());
        }

        /// <summary>At most <paramref name="count"/> samples spread evenly over the sorted inputs (all when fewer).</summary>
        public Samples Subsample(int count)
        {
            if (count < 2 || Count <= count) return this;
            var order = Enumerable.Range(0, Count).OrderBy(k => X[k]).ToArray();
            var pick = Enumerable.Range(0, count).Select(i => order[(int)((long)i * (Count - 1) / (count - 1))]).ToArray();
            return new Samples(pick.Select(k => X[k]).ToArray(), pick.Select(k => Y[k]).ToArray(), Lo, Hi);
        }

        /// <summary>
        /// R² of the best c·f(z) + d for z = κ(α t + β), t = (x − middle)/halfWidth, or null when the argument range
        /// leaves f's domain or f(z) is not finite or is constant.
        /// </summary>
        public double? Correlation(SymbolicFunction f, double kappa, double alpha, double beta)
        {
            double a = kappa * alpha / HalfWidth, b = kappa * (beta - alpha * Middle / HalfWidth);
            if (Moments(f, a, b) is not var (sg, sgg, sgy)) return null;
            double varG = sgg - sg * sg / Count;
            if (!(varG > 1e-24 * sgg) || !(Sst > 0)) return null;
            return sgy * sgy / (varG * Sst);
        }

        /// <summary>Least-squares (c, d) for given (a, b), or null when inadmissible.</summary>
        public (double C, double D)? LinearPart(SymbolicFunction f, double a, double b)
        {
            if (Moments(f, a, b) is not var (sg, sgg, sgy)) return null;
            double varG = sgg - sg * sg / Count;
            if (!(varG > 1e-24 * sgg)) return (0, MeanY);
            double c = sgy / varG;
            return (c, MeanY - c * sg / Count);
        }

        /// <summary>Σg, Σg², Σg·(y − ȳ) for g = f(a x + b); null when the argument range is inadmissible or a sum overflows.</summary>
        private (double Sg, double Sgg, double Sgy)? Moments(SymbolicFunction f, double a, double b)
        {
            double z0 = a * Lo + b, z1 = a * Hi + b;
            if (!f.AcceptsRange(Math.Min(z0, z1), Math.Max(z0, z1))) return null;
            double sg = 0, sgg = 0, sgy = 0;
            for (int k = 0; k < Count; k++)
            {
                double g = f.Value(a * X[k] + b);
                sg += g;
                sgg += g * g;
                sgy += g * (Y[k] - MeanY);
            }
            return double.IsFinite(sgg) && double.IsFinite(sgy) ? (sg, sgg, sgy) : null;
        }

        /// <summary>Sum of squared residuals of c·f(a x + b) + d; +∞ when inadmissible.</summary>
        public double Sse(double[] p, SymbolicFunction f)
        {
            double z0 = p[0] * Lo + p[1], z1 = p[0] * Hi + p[1];
            if (!p.All(double.IsFinite) || !f.AcceptsRange(Math.Min(z0, z1), Math.Max(z0, z1))) return double.PositiveInfinity;
            double sse = 0;
            for (int k = 0; k < Count; k++)
            {
                double r = p[2] * f.Value(p[0] * X[k] + p[1]) + p[3] - Y[k];
                sse += r * r;
            }
            return double.IsFinite(sse) ? sse : double.PositiveInfinity;
        }

        public double RSquared(double a, double b, double c, double d, SymbolicFunction f) => 1 - Sse(new[] { a, b, c, d }, f) / Sst;
    }
}
