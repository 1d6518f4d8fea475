using Kan.Pde.Runner.Commands;
using Kan.Pde.Tests.Comparison;
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

        // CsvTable.Read also checks that every row has as many cells as the header.
        var table = CsvTable.Read(csvPath);
        Assert.That(table.Header, Is.EqualTo(BenchCommand.CsvColumns));
        Assert.That(Enumerable.Range(0, table.Rows.Count).Select(row => table.Cell(row, "config")),
            Is.EqualTo(BenchCommand.QuickConfigs.Select(c => c.Name)));

        string[] timeColumns = { "forward_eval_ms", "reverse_eval_ms", "lbfgs_step_ms", "adam_step_ms", "peak_rss_mib" };
        Assert.Multiple(() =>
        {
            for (int row = 0; row < table.Rows.Count; row++)
            {
                foreach (var column in timeColumns)
                {
                    double value = table.Number(row, column);
                    Assert.That(double.IsFinite(value) && value > 0, Is.True, $"{table.Cell(row, "config")}: {column} = {value}");
                }
                Assert.That(table.Number(row, "lbfgs_evals_per_step"), Is.GreaterThanOrEqualTo(1));
            }
            // The KAN row has a matched MLP and a KAN/MLP ratio.
            int kan = Enumerable.Range(0, table.Rows.Count).Single(row => table.Cell(row, "network").StartsWith("KAN", StringComparison.Ordinal));
            Assert.That(table.Number(kan, "kan_over_mlp"), Is.GreaterThan(0));
            // On the CPU a KAN is also timed through the tensor formulation (what a GPU runs).
            Assert.That(table.Number(kan, "forward_tensor_eval_ms"), Is.GreaterThan(0));
            // Operation counts: whole tensors per evaluation, and the fused kernel issues fewer operations than the
            // tensor formulation it replaces (it folds every layer's basis, chain rule and contraction into one node).
            double fusedOps = table.Number(kan, "forward_eval_ops"), tensorOps = table.Number(kan, "forward_tensor_eval_ops");
            Assert.That(fusedOps, Is.GreaterThan(0).And.EqualTo(Math.Round(fusedOps)));
            Assert.That(tensorOps, Is.GreaterThan(fusedOps).And.EqualTo(Math.Round(tensorOps)));
            int mlp = 1 - kan;
            Assert.That(table.Number(mlp, "forward_eval_ops"), Is.GreaterThan(0));
            Assert.That(table.Cell(mlp, "forward_tensor_eval_ops"), Is.Empty, "an MLP has no separate tensor formulation");
            Assert.That(r.Output, Does.Contain("fwd ms"));
        });
    }

    [Test]
    public void BadThreadCountIsAUsageError()
    {
        var r = _box.Run("bench", "--threads", "0");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }
}
