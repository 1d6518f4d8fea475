using Kan.Pde.Runner.Results;

namespace Kan.Pde.Tests.Results;

/// <summary>A deterministic, made-up run record with awkward numbers, for exercising the results writer.</summary>
internal static class SyntheticRun
{
    public static RunRecord Create(string name = "synthetic-run", bool withExact = true)
    {
        var history = new List<HistoryRow>();
        int[] grids = [5, 10, 20];
        for (int step = 0; step <= 300; step += 3)
        {
            int stage = Math.Min(step / 100, 2);
            double pde = Math.Exp(-step / 40.0) * (1 + 0.1 * Math.Sin(step)) + 1e-7 / 3;
            double boundary = 0.1 * Math.Exp(-step / 60.0) + Math.PI * 1e-9;
            var terms = new Dictionary<string, double> { ["pde"] = pde, ["boundary"] = boundary };
            // One term appears late, as when a stage switches on an extra constraint.
            if (stage == 2) terms["initial"] = boundary / 7;
            double? relL2 = step % 10 == 0 ? Math.Sqrt(pde) / 3 : null;
            history.Add(new HistoryRow(step, stage, grids[stage], pde + 10 * boundary, terms, relL2, step * 0.0123456789));
        }

        var (xs, ys) = (Axis(-1, 1, 41), Axis(0, 0.5, 21));
        var exact = new double[ys.Length, xs.Length];
        var prediction = new double[ys.Length, xs.Length];
        for (int iy = 0; iy < ys.Length; iy++)
        {
            for (int ix = 0; ix < xs.Length; ix++)
            {
                exact[iy, ix] = Math.Sin(Math.PI * xs[ix]) * Math.Sinh(Math.PI * ys[iy]);
                prediction[iy, ix] = exact[iy, ix] + 1e-4 * xs[ix] * ys[iy];
            }
        }

        var metrics = new RunMetrics
        {
            Name = name,
            ProblemFamily = "poisson-2d",
            Model = "KAN [2,5,1] G=20 k=3",
            Parameters = 1234,
            RelativeL2 = 1.0 / 3 * 1e-3,
            MaxAbsError = double.NaN,
            L2SquaredError = 2.5e-300,
            H1SquaredError = 0.1 + 0.2,
            H1GradientSquaredError = double.PositiveInfinity,
            FinalLosses = new Dictionary<string, double> { ["pde"] = 1.0 / 7, ["boundary"] = double.NegativeInfinity },
            FinalTotalLoss = 123456.789e-10,
            WallSeconds = 12.5,
            TrainingSeconds = 11.25,
            Steps = 300,
            LossEvaluations = 4_000_000_000L,
            Dtype = "float64",
            Device = "cpu",
            Seed = 42,
            SpecFile = "poisson-2d.yaml",
        };

        return new RunRecord
        {
            Metrics = metrics,
            History = history,
            GridChanges = [new GridChange(100, 5, 10), new GridChange(200, 10, 20)],
            Prediction = new FieldGrid2D(xs, ys, prediction, "u(x, y)"),
            Exact = withExact ? new FieldGrid2D(xs, ys, exact, "u*(x, y)") : null,
        };
    }

    private static double[] Axis(double from, double to, int n) =>
        Enumerable.Range(0, n).Select(i => from + (to - from) * i / (n - 1)).ToArray();
}
