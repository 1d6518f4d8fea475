using System.Globalization;
using System.Text.RegularExpressions;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Comparison;
using Kan.Pde.Tests.Results;
using Kan.Pde.Tests.Runner;
using NUnit.Framework;

namespace Kan.Pde.Tests.Comparison;

/// <summary>
/// <c>reproduce fig2.3</c>: the quick run goes end to end, its errors fall with the grid, and its summary agrees with
/// its per-step CSV (grid-end errors, slopes recomputed here from the CSV); bad options are refused.
/// </summary>
public class ReproduceFig23Tests
{
    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    [Test]
    public void TheQuickRunWritesTheFigureAndItsSummaryFollowsTheCsv()
    {
        var r = _box.Run("reproduce", "fig2.3", "--quick", "--quiet", "--output", _box.OutputDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        Assert.That(PngHeader.ReadSize(Path.Combine(_box.OutputDir, Figure23.FigureFile)), Is.EqualTo((1800, 700)));
        var csv = CsvTable.Read(Path.Combine(_box.OutputDir, Figure23.StepsCsv));
        string md = File.ReadAllText(Path.Combine(_box.OutputDir, Figure23.SummaryFile));
        var grids = ReproduceFig23Command.QuickGrids;
        int steps = ReproduceFig23Command.QuickSteps;
        Assert.That(csv.Rows, Has.Count.EqualTo(2 * grids.Count * steps));

        foreach (var label in new[] { "KAN [2,5,1]", "KAN [2,1,1]" })
        {
            var rows = Enumerable.Range(0, csv.Rows.Count).Where(i => csv.Cell(i, "network") == label).ToArray();
            Assert.That(rows.Select(i => int.Parse(csv.Cell(i, "step"), CultureInfo.InvariantCulture)), Is.EqualTo(Enumerable.Range(1, grids.Count * steps)));
            Assert.That(rows.Select(i => int.Parse(csv.Cell(i, "grid"), CultureInfo.InvariantCulture)), Is.EqualTo(grids.SelectMany(g => Enumerable.Repeat(g, steps))));
            var ends = grids.Select((g, k) => rows[(k + 1) * steps - 1]).ToArray();
            double[] train = ends.Select(i => csv.Number(i, "train_rmse")).ToArray(), test = ends.Select(i => csv.Number(i, "test_rmse")).ToArray();

            // The errors are those of a fit that learns: finer grids end lower, and far below the target's own spread (~1).
            Assert.That(train[^1], Is.LessThan(0.5 * train[0]), label);
            Assert.That(test[^1], Is.LessThan(0.5 * test[0]), label);
            Assert.That(train[^1], Is.LessThan(0.05), label);

            // The summary's table rows are the CSV's last rows of each grid.
            string section = md[md.IndexOf($"## {label}", StringComparison.Ordinal)..];
            for (int k = 0; k < grids.Count; k++)
                Assert.That(section, Does.Contain($"| {grids[k]} | ").And.Contain($" | {Figure23.E(train[k])} | {Figure23.E(test[k])} | "), $"{label} G={grids[k]}");

            // Slope of log test RMSE against log G over every quick grid (all within the paper's ranges), by hand.
            double[] x = grids.Select(g => Math.Log10(g)).ToArray(), y = test.Select(Math.Log10).ToArray();
            double mx = x.Average(), my = y.Average();
            double slope = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / x.Sum(v => (v - mx) * (v - mx));
            var match = Regex.Match(md, $@"\| {Regex.Escape(label)} \| every grid \| (-?\d+\.\d\d) \|");
            Assert.That(match.Success, Is.True, $"no slope row for {label}");
            Assert.That(match.Groups[1].Value, Is.EqualTo(slope.ToString("0.00", CultureInfo.InvariantCulture)), label);

            int best = Array.IndexOf(test, test.Min());
            Assert.That(section, Does.Contain($"Smallest test RMSE: **{Figure23.E(test[best])} at G = {grids[best]}**"));
        }
    }

    /// <summary>
    /// The full reproduction (about 2 minutes on one core): the paper's qualitative claims hold in its numbers. Grid-end
    /// errors are read from the CSV; the bounds are the paper's claims with room, not the values of one run.
    /// </summary>
    [Test, Category("Slow")]
    public void TheFullRunShowsTheStaircaseTheUShapeAndTheG4Rate()
    {
        var r = _box.Run("reproduce", "fig2.3", "--quiet", "--output", _box.OutputDir);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        var csv = CsvTable.Read(Path.Combine(_box.OutputDir, Figure23.StepsCsv));
        var grids = ReproduceFig23Command.PaperGrids;
        int steps = ReproduceFig23Command.PaperSteps;
        (double[] Train, double[] Test) Ends(string label)
        {
            var rows = Enumerable.Range(0, csv.Rows.Count).Where(i => csv.Cell(i, "network") == label).ToArray();
            var ends = grids.Select((g, k) => rows[(k + 1) * steps - 1]).ToArray();
            return (ends.Select(i => csv.Number(i, "train_rmse")).ToArray(), ends.Select(i => csv.Number(i, "test_rmse")).ToArray());
        }
        double SlopeUpTo(double[] errors, int limit)
        {
            var points = grids.Select((g, k) => (X: Math.Log10(g), Y: Math.Log10(errors[k]))).Where((p, k) => grids[k] <= limit).ToArray();
            double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
            return points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
        }

        foreach (var label in new[] { "KAN [2,5,1]", "KAN [2,1,1]" })
        {
            var (train, test) = Ends(label);
            // Staircase: every extension up to G = 500 ends lower than the grid before it.
            for (int k = 1; k < grids.Count - 1; k++) Assert.That(train[k], Is.LessThan(train[k - 1]), $"{label} G={grids[k]}");
            // U shape: the held-out error is smallest at a middle grid and far larger at G = 1000.
            int best = Array.IndexOf(test, test.Min());
            Assert.That(grids[best], Is.InRange(10, 200), label);
            Assert.That(test[^1], Is.GreaterThan(100 * test[best]), label);
        }
        // [2,1,1] can represent f exactly: its held-out error falls at least like G⁻³ up to its minimum.
        var (_, test211) = Ends("KAN [2,1,1]");
        Assert.That(SlopeUpTo(test211, grids[Array.IndexOf(test211, test211.Min())]), Is.LessThan(-3));
    }

    [TestCase("--seed", "-1", "--seed needs an integer")]
    [TestCase("--seed", "x", "--seed needs an integer")]
    [TestCase("--grids", "3", "unknown argument '--grids' for reproduce fig2.3")]
    [TestCase("--output", null, "option '--output' needs a value")]
    public void BadOptionsAreBadInput(string option, string? value, string message)
    {
        var args = new List<string> { "reproduce", "fig2.3", option };
        if (value is not null) args.Add(value);
        var r = _box.Run(args.ToArray());
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain(message));
        Assert.That(_box.Folders(), Is.Empty);
    }

    [Test]
    public void HelpNamesTheOptions()
    {
        var r = _box.Run("reproduce", "fig2.3", "--help");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(r.Output, Does.Contain("--quick").And.Contain("--seed N").And.Contain("results/fig2.3"));
    }
}
