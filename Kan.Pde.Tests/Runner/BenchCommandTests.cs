using System.Globalization;
using Kan.Pde.Runner.Commands;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// <c>bench --quick</c> end to end: it runs, writes bench.csv and bench.md with one row per configuration and
/// positive finite times. No timing thresholds (CI machines differ).
/// </summary>
public class BenchCommandTests
{
    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    [Test]
    public void QuickBenchWritesCsvAndMarkdown()
    {
        var r = _box.Run("bench", "--quick", "--output", _box.OutputDir);
        TestContext.Out.WriteLine(r.Output);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);

        string csvPath = Path.Combine(_box.OutputDir, BenchCommand.CsvFile);
        Assert.That(File.Exists(csvPath), Is.True);
        Assert.That(File.Exists(Path.Combine(_box.OutputDir, BenchCommand.MarkdownFile)), Is.True);

        var lines = File.ReadAllLines(csvPath).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        Assert.That(header, Is.EqualTo(BenchCommand.CsvColumns));
        var rows = lines.Skip(1).Select(ParseCsvLine).ToArray();
        Assert.That(rows.Select(row => row[Array.IndexOf(header, "config")]),
            Is.EqualTo(BenchCommand.QuickConfigs.Select(c => c.Name)));

        string[] timeColumns = { "forward_eval_ms", "reverse_eval_ms", "lbfgs_step_ms", "adam_step_ms", "peak_rss_mib" };
        Assert.Multiple(() =>
        {
            foreach (var row in rows)
            {
                Assert.That(row, Has.Length.EqualTo(header.Length));
                foreach (var column in timeColumns)
                {
                    double value = double.Parse(row[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
                    Assert.That(double.IsFinite(value) && value > 0, Is.True, $"{row[0]}: {column} = {value}");
                }
                Assert.That(double.Parse(row[Array.IndexOf(header, "lbfgs_evals_per_step")], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1));
            }
            // The KAN row has a matched MLP and a KAN/MLP ratio.
            var kan = rows.Single(row => row[Array.IndexOf(header, "network")].StartsWith("KAN", StringComparison.Ordinal));
            Assert.That(double.Parse(kan[Array.IndexOf(header, "kan_over_mlp")], CultureInfo.InvariantCulture), Is.GreaterThan(0));
            // On the CPU a KAN is also timed through the tensor formulation (what a GPU runs).
            Assert.That(double.Parse(kan[Array.IndexOf(header, "forward_tensor_eval_ms")], CultureInfo.InvariantCulture), Is.GreaterThan(0));
            Assert.That(r.Output, Does.Contain("fwd ms"));
        });
    }

    [Test]
    public void BadThreadCountIsAUsageError()
    {
        var r = _box.Run("bench", "--threads", "0");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }

    /// <summary>Splits one CSV line, honouring double-quoted cells.</summary>
    private static string[] ParseCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells.ToArray();
    }
}
