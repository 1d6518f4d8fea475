using Kan.Pde.Core.Networks;
using Kan.Pde.Problems.Anderson;
using ScottPlot;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Results;

/// <summary>
/// Figures of the localization problems: the potential, the landscape u and its effective potential 1/u
/// (network and finite-difference reference), and eigenstates drawn at the height of their energies.
/// </summary>
internal static class LocalizationFigures
{
    private const int Width = 1300;

    /// <summary>The extra files of a landscape run: <c>landscape.png</c> in 1-D; potential and 1/u maps in 2-D.</summary>
    public static IReadOnlyList<ExtraFile> ForLandscape(LandscapeProblem problem, INetwork network, string runName)
    {
        var box = problem.Domain;
        if (box.Dimension == 1)
        {
            var (xs, v, u, reference) = Profiles(problem.Potential, network, problem.Reference.Solution, box.Axes[0].Lo, box.Axes[0].Hi, 4001);
            return new[] { new ExtraFile("landscape.png", path => SaveLandscape1D(path, xs, v, u, reference, runName)) };
        }
        int n = 201;
        var (gx, gy, potential, landscape) = Maps(problem, network, n);
        var effective = new double[n, n];
        for (int iy = 0; iy < n; iy++)
            for (int ix = 0; ix < n; ix++) effective[iy, ix] = 1 / landscape[iy, ix];
        // 1/u grows without bound at the walls (and changes sign where a network's u crosses zero there); the colour
        // range spans the wells up to the top of the potential.
        double vmax = potential.Cast<double>().Max();
        double wellBottom = effective.Cast<double>().Where(e => e > 0 && double.IsFinite(e)).DefaultIfEmpty(0).Min();
        var effectiveRange = new ScottPlot.Range(wellBottom, Math.Max(1.25 * vmax, wellBottom + 1e-9));
        for (int iy = 0; iy < n; iy++)
            for (int ix = 0; ix < n; ix++)
                if (!(effective[iy, ix] > 0) || effective[iy, ix] > effectiveRange.Max) effective[iy, ix] = effectiveRange.Max;
        var options = ResultsWriterOptions.Default;
        return new[]
        {
            new ExtraFile("potential.png", path => FieldPlot.Save(path, new FieldGrid2D(gx, gy, potential, "V(x, y)"),
                $"Potential — {runName}", new FieldPlot.Scale(new ScottPlot.Colormaps.Viridis()), options)),
            new ExtraFile("effective-potential.png", path => FieldPlot.Save(path, new FieldGrid2D(gx, gy, effective, "1/u (network)"),
                $"Effective potential 1/u — {runName}", new FieldPlot.Scale(new ScottPlot.Colormaps.Viridis(), effectiveRange), options)),
        };
    }

    /// <summary>
    /// <c>eigenstates.png</c>: V, the landscape's effective potential 1/u (reference) and each state ψ_k drawn
    /// as E_k + s·ψ_k (network solid, reference dashed), so that each sits at its energy over the wells.
    /// </summary>
    public static void SaveEigenstates(string path, SchrodingerProblem problem, IReadOnlyList<INetwork> networks,
        IReadOnlyList<double> energies, string runName)
    {
        PlotFonts.EnsureRegistered();
        var axis = problem.Domain.Axes[0];
        int n = 4001;
        var xs = Linspace(axis.Lo, axis.Hi, n);
        var v = xs.Select(x => problem.Potential.At(new[] { x })).ToArray();
        // 1/u is infinite at the ends; cap it above the drawn range so the line stays drawable.
        double cap = 10 * Math.Max(1e-9, v.Max());
        var effective = xs.Select(x => Math.Min(cap, 1 / Math.Max(problem.Landscape.At(new[] { x }), 1 / cap))).ToArray();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var potentialLine = plot.Add.ScatterLine(xs, v, Colors.Gray.WithAlpha(0.6));
        potentialLine.LegendText = "V(x)";
        var landscapeLine = plot.Add.ScatterLine(xs, effective, Colors.Black);
        landscapeLine.LineWidth = 2;
        landscapeLine.LegendText = "1/u (landscape, reference)";

        double spacing = energies.Count > 1 ? energies.Zip(energies.Skip(1), (a, b) => Math.Abs(b - a)).Where(d => d > 0).DefaultIfEmpty(1).Min() : 1;
        for (int k = 0; k < networks.Count; k++)
        {
            var psi = State(problem, networks[k], xs);
            var reference = xs.Select(x => problem.Reference[k].State.At(new[] { x })).ToArray();
            double sign = psi.Zip(reference, (a, b) => a * b).Sum() < 0 ? -1 : 1;
            double peak = reference.Max(Math.Abs);
            double scale = 0.45 * Math.Max(spacing, 0.05 * (v.Max() - v.Min())) / peak;
            var color = palette.GetColor(k);
            var net = plot.Add.ScatterLine(xs, psi.Select(p => energies[k] + scale * sign * p).ToArray(), color);
            net.LineWidth = 2;
            net.LegendText = $"ψ{k} network, E = {energies[k]:G5}";
            var refLine = plot.Add.ScatterLine(xs, reference.Select(p => problem.Reference[k].Energy + scale * p).ToArray(), color);
            refLine.LinePattern = LinePattern.Dashed;
            refLine.LineWidth = 1.5f;
            refLine.LegendText = $"ψ{k} reference, E = {problem.Reference[k].Energy:G5}";
        }
        double top = Math.Max(energies.Max(), problem.Reference.Take(networks.Count).Max(r => r.Energy));
        double bottom = Math.Min(0, v.Min());
        plot.Axes.SetLimits(axis.Lo, axis.Hi, bottom, top + 0.3 * Math.Max(top - bottom, 1e-9) + spacing);
        plot.Title($"Eigenstates over the landscape — {runName}", size: 17);
        plot.XLabel("x", size: 15);
        plot.YLabel("energy  (states drawn as E + s·ψ)", size: 15);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Legend.FontSize = 12;
        plot.SavePng(path, Width, 700);
    }

    private static void SaveLandscape1D(string path, double[] xs, double[] v, double[] u, double[] reference, string runName)
    {
        PlotFonts.EnsureRegistered();
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        var top = multiplot.GetPlot(0);
        var vLine = top.Add.ScatterLine(xs, v, Colors.Gray.WithAlpha(0.7));
        vLine.LegendText = "V(x)";
        var netEffective = top.Add.ScatterLine(xs, u.Select(a => 1 / a).ToArray(), new ScottPlot.Palettes.Category10().GetColor(0));
        netEffective.LineWidth = 2;
        netEffective.LegendText = "1/u network";
        var refEffective = top.Add.ScatterLine(xs, reference.Select(a => 1 / a).ToArray(), new ScottPlot.Palettes.Category10().GetColor(1));
        refEffective.LinePattern = LinePattern.Dashed;
        refEffective.LegendText = "1/u reference";
        double vmax = v.Max();
        // 1/u grows without bound at the walls; the wells of interest lie below the top of the potential.
        top.Axes.SetLimits(xs[0], xs[^1], Math.Min(0, v.Min()), 1.15 * Math.Max(vmax, 1e-12));
        top.Title($"Localization landscape — {runName}", size: 17);
        top.YLabel("V and effective potential 1/u", size: 14);
        top.ShowLegend(Alignment.UpperRight);

        var middle = multiplot.GetPlot(1);
        var uLine = middle.Add.ScatterLine(xs, u, new ScottPlot.Palettes.Category10().GetColor(0));
        uLine.LineWidth = 2;
        uLine.LegendText = "u network";
        var rLine = middle.Add.ScatterLine(xs, reference, new ScottPlot.Palettes.Category10().GetColor(1));
        rLine.LinePattern = LinePattern.Dashed;
        rLine.LegendText = "u reference";
        middle.YLabel("u", size: 14);
        middle.ShowLegend(Alignment.UpperRight);

        var bottom = multiplot.GetPlot(2);
        var error = u.Zip(reference, (a, b) => LogTicks.Log10OrNaN(Math.Abs(a - b))).ToArray();
        var finite = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(error[i])).ToArray();
        if (finite.Length > 0) bottom.Add.ScatterLine(finite.Select(i => xs[i]).ToArray(), finite.Select(i => error[i]).ToArray(), Colors.DarkRed);
        bottom.Axes.Left.TickGenerator = LogTicks.Decades();
        bottom.YLabel("|u − u*|", size: 14);
        bottom.XLabel("x", size: 15);
        foreach (var p in new[] { top, middle, bottom }) p.Layout.Fixed(new PixelPadding(100, 30, 50, 40));
        multiplot.SavePng(path, Width, 1050);
    }

    private static (double[] Xs, double[] V, double[] U, double[] Reference) Profiles(IPotential potential, INetwork network,
        GridFunction reference, double lo, double hi, int n)
    {
        var xs = Linspace(lo, hi, n);
        return (xs, xs.Select(x => potential.At(new[] { x })).ToArray(), Evaluate(network, xs),
            xs.Select(x => reference.At(new[] { x })).ToArray());
    }

    private static (double[] Xs, double[] Ys, double[,] Potential, double[,] Landscape) Maps(LandscapeProblem problem, INetwork network, int n)
    {
        var axes = problem.Domain.Axes;
        var xs = Linspace(axes[0].Lo, axes[0].Hi, n);
        var ys = Linspace(axes[1].Lo, axes[1].Hi, n);
        var points = new double[n * n * 2];
        for (int ix = 0; ix < n; ix++)
            for (int iy = 0; iy < n; iy++)
            {
                points[(ix * n + iy) * 2] = xs[ix];
                points[(ix * n + iy) * 2 + 1] = ys[iy];
            }
        double[] u;
        using (no_grad())
        {
            var dtype = network.TrainableParameters.Count > 0 ? network.TrainableParameters[0].dtype : ScalarType.Float64;
            using var input = tensor(points, new long[] { n * n, 2 }, ScalarType.Float64).to(dtype);
            u = network.Forward(input).select(1, 0).to(ScalarType.Float64).data<double>().ToArray();
        }
        var potential = new double[n, n];
        var landscape = new double[n, n];
        for (int ix = 0; ix < n; ix++)
            for (int iy = 0; iy < n; iy++)
            {
                potential[iy, ix] = problem.Potential.At(new[] { xs[ix], ys[iy] });
                landscape[iy, ix] = u[ix * n + iy];
            }
        return (xs, ys, potential, landscape);
    }

    private static double[] State(SchrodingerProblem problem, INetwork network, double[] xs)
    {
        using var noGrad = no_grad();
        var dtype = network.TrainableParameters.Count > 0 ? network.TrainableParameters[0].dtype : ScalarType.Float64;
        using var input = tensor(xs, new long[] { xs.Length, 1 }, ScalarType.Float64).to(dtype);
        return problem.StateOf(network, input).to(ScalarType.Float64).data<double>().ToArray();
    }

    private static double[] Evaluate(INetwork network, double[] xs)
    {
        using var noGrad = no_grad();
        var dtype = network.TrainableParameters.Count > 0 ? network.TrainableParameters[0].dtype : ScalarType.Float64;
        using var input = tensor(xs, new long[] { xs.Length, 1 }, ScalarType.Float64).to(dtype);
        return network.Forward(input).select(1, 0).to(ScalarType.Float64).data<double>().ToArray();
    }

    private static double[] Linspace(double lo, double hi, int n) => Enumerable.Range(0, n).Select(i => lo + (hi - lo) * i / (n - 1)).ToArray();
}
