using System.Collections;
using System.Globalization;
using System.Text.Json;
using Kan.Pde.Runner.Results;
using NUnit.Framework;

namespace Kan.Pde.Tests.Results;

[TestFixture]
public sealed class ResultsWriterTests
{
    private string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "kan-pde-results-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void MetricsJson_RoundTripsNumbersAndWritesNonFiniteAsNull()
    {
        var record = SyntheticRun.Create();
        string dir = ResultsWriter.WriteAll(Path.Combine(_root, "run"), record);

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, ResultsWriter.MetricsFile)));
        var json = doc.RootElement;
        var m = record.Metrics;
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("name").GetString(), Is.EqualTo(m.Name));
            Assert.That(json.GetProperty("problemFamily").GetString(), Is.EqualTo(m.ProblemFamily));
            Assert.That(json.GetProperty("model").GetString(), Is.EqualTo(m.Model));
            Assert.That(json.GetProperty("parameters").GetInt32(), Is.EqualTo(m.Parameters));
            Assert.That(json.GetProperty("relativeL2").GetDouble(), Is.EqualTo(m.RelativeL2));
            Assert.That(json.GetProperty("l2SquaredError").GetDouble(), Is.EqualTo(m.L2SquaredError));
            Assert.That(json.GetProperty("h1SquaredError").GetDouble(), Is.EqualTo(m.H1SquaredError));
            Assert.That(json.GetProperty("finalTotalLoss").GetDouble(), Is.EqualTo(m.FinalTotalLoss));
            Assert.That(json.GetProperty("wallSeconds").GetDouble(), Is.EqualTo(m.WallSeconds));
            Assert.That(json.GetProperty("trainingSeconds").GetDouble(), Is.EqualTo(m.TrainingSeconds));
            Assert.That(json.GetProperty("steps").GetInt32(), Is.EqualTo(m.Steps));
            Assert.That(json.GetProperty("lossEvaluations").GetInt64(), Is.EqualTo(m.LossEvaluations));
            Assert.That(json.GetProperty("seed").GetInt64(), Is.EqualTo(m.Seed));
            Assert.That(json.GetProperty("dtype").GetString(), Is.EqualTo("float64"));
            Assert.That(json.GetProperty("device").GetString(), Is.EqualTo("cpu"));
            Assert.That(json.GetProperty("specFile").GetString(), Is.EqualTo("poisson-2d.yaml"));
            Assert.That(json.GetProperty("finalLosses").GetProperty("pde").GetDouble(), Is.EqualTo(1.0 / 7));

            Assert.That(json.GetProperty("maxAbsError").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(json.GetProperty("h1GradientSquaredError").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(json.GetProperty("finalLosses").GetProperty("boundary").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(json.GetProperty("relativeL2").ValueKind, Is.EqualTo(JsonValueKind.Number));
        });
    }

    [Test]
    public void HistoryCsv_RoundTripsEveryValueExactly()
    {
        var record = SyntheticRun.Create();
        string dir = ResultsWriter.WriteAll(Path.Combine(_root, "run"), record);

        var lines = File.ReadAllLines(Path.Combine(dir, ResultsWriter.HistoryFile));
        Assert.That(lines[0], Is.EqualTo("step,stage,grid,total_loss,boundary,initial,pde,relative_l2,seconds"));
        Assert.That(lines, Has.Length.EqualTo(record.History.Count + 1));

        var header = lines[0].Split(',');
        for (int i = 0; i < record.History.Count; i++)
        {
            var expected = record.History[i];
            var cells = lines[i + 1].Split(',');
            Assert.That(cells, Has.Length.EqualTo(header.Length), $"row {i}");
            var col = (string name) => cells[Array.IndexOf(header, name)];

            Assert.That(int.Parse(col("step"), CultureInfo.InvariantCulture), Is.EqualTo(expected.Step));
            Assert.That(int.Parse(col("stage"), CultureInfo.InvariantCulture), Is.EqualTo(expected.Stage));
            Assert.That(int.Parse(col("grid"), CultureInfo.InvariantCulture), Is.EqualTo(expected.GridSize));
            AssertSameBits(col("total_loss"), expected.TotalLoss);
            AssertSameBits(col("seconds"), expected.Seconds);
            foreach (var term in new[] { "boundary", "initial", "pde" })
            {
                if (expected.Terms.TryGetValue(term, out var v)) AssertSameBits(col(term), v);
                else Assert.That(col(term), Is.Empty, $"row {i} has no '{term}' term");
            }
            if (expected.RelativeL2 is { } rel) AssertSameBits(col("relative_l2"), rel);
            else Assert.That(col("relative_l2"), Is.Empty);
        }
    }

    [Test]
    public void Figures_ArePngsOfTheConfiguredSize()
    {
        var record = SyntheticRun.Create();
        var options = ResultsWriterOptions.Default;
        string dir = ResultsWriter.WriteAll(Path.Combine(_root, "run"), record, options);

        var fieldSize = options.FieldImageSize(record.Prediction!);
        // The synthetic domain is 2:1, so equal axis scaling must make the heat maps wider than tall.
        Assert.That(fieldSize.Width, Is.GreaterThan(fieldSize.Height));
        Assert.Multiple(() =>
        {
            Assert.That(PngHeader.ReadSize(Path.Combine(dir, ResultsWriter.ConvergenceFile)),
                Is.EqualTo((options.ConvergenceWidth, options.ConvergenceHeight)));
            foreach (var file in new[] { ResultsWriter.SolutionFile, ResultsWriter.ExactFile, ResultsWriter.ErrorFile })
                Assert.That(PngHeader.ReadSize(Path.Combine(dir, file)), Is.EqualTo(fieldSize), file);
        });
    }

    [Test]
    public void WithoutExactSolution_NoExactOrErrorFigureIsWritten()
    {
        string dir = ResultsWriter.WriteAll(Path.Combine(_root, "run"), SyntheticRun.Create(withExact: false));

        Assert.That(File.Exists(Path.Combine(dir, ResultsWriter.SolutionFile)), Is.True);
        Assert.That(File.Exists(Path.Combine(dir, ResultsWriter.ExactFile)), Is.False);
        Assert.That(File.Exists(Path.Combine(dir, ResultsWriter.ErrorFile)), Is.False);
    }

    [Test]
    public void EmptyHistory_StillWritesAllFiles()
    {
        var record = SyntheticRun.Create() with { History = [], GridChanges = [] };
        string dir = ResultsWriter.WriteAll(Path.Combine(_root, "run"), record);

        Assert.That(File.ReadAllText(Path.Combine(dir, ResultsWriter.HistoryFile)),
            Is.EqualTo("step,stage,grid,total_loss,relative_l2,seconds\n"));
        Assert.That(PngHeader.ReadSize(Path.Combine(dir, ResultsWriter.ConvergenceFile)).Width, Is.GreaterThan(0));
    }

    [Test]
    public void InconsistentField_ThrowsBeforeWritingAnything()
    {
        var good = SyntheticRun.Create();
        var u = good.Prediction!;
        var bad = good with { Prediction = u with { Values = new double[u.Ys.Length, u.Xs.Length - 1] } };

        Assert.Throws<ArgumentException>(() => ResultsWriter.WriteAll(Path.Combine(_root, "run"), bad));
        Assert.That(Directory.GetFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void FailureMidway_LeavesNoPartialFolderAndKeepsThePreviousRun()
    {
        string target = Path.Combine(_root, "run");
        ResultsWriter.WriteAll(target, SyntheticRun.Create());
        string previousMetrics = File.ReadAllText(Path.Combine(target, ResultsWriter.MetricsFile));

        // metrics.json is written before the history is read, so this fails with files already on disk.
        var record = SyntheticRun.Create(name: "second-attempt");
        var history = record.History.ToList();
        history[^1] = history[^1] with { Terms = new ExplodingTerms() };

        Assert.Throws<IOException>(() => ResultsWriter.WriteAll(target, record with { History = history }));
        Assert.That(Directory.GetFileSystemEntries(_root), Is.EqualTo(new[] { target }));
        Assert.That(File.ReadAllText(Path.Combine(target, ResultsWriter.MetricsFile)), Is.EqualTo(previousMetrics));
    }

    [Test]
    public void FailureOnFirstWrite_LeavesNoFolderAtAll()
    {
        var record = SyntheticRun.Create();
        var history = record.History.ToList();
        history[0] = history[0] with { Terms = new ExplodingTerms() };

        Assert.Throws<IOException>(() => ResultsWriter.WriteAll(Path.Combine(_root, "run"), record with { History = history }));
        Assert.That(Directory.GetFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void Rewrite_ReplacesTheWholeFolder()
    {
        string target = Path.Combine(_root, "run");
        ResultsWriter.WriteAll(target, SyntheticRun.Create());
        File.WriteAllText(Path.Combine(target, "stale.txt"), "from an older run");

        ResultsWriter.WriteAll(target, SyntheticRun.Create(name: "rerun", withExact: false));

        Assert.That(File.Exists(Path.Combine(target, "stale.txt")), Is.False);
        Assert.That(File.Exists(Path.Combine(target, ResultsWriter.ExactFile)), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(target, ResultsWriter.MetricsFile)), Does.Contain("\"rerun\""));
        Assert.That(Directory.GetFileSystemEntries(_root), Is.EqualTo(new[] { target }));
    }

    private static void AssertSameBits(string text, double expected)
    {
        double parsed = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.That(BitConverter.DoubleToInt64Bits(parsed), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)),
            $"'{text}' does not round-trip to {expected:R}");
    }

    /// <summary>Stands in for a failure in the middle of writing, such as a full disk.</summary>
    private sealed class ExplodingTerms : IReadOnlyDictionary<string, double>
    {
        private static IOException Boom() => new("simulated failure while writing results");

        public double this[string key] => throw Boom();
        public IEnumerable<string> Keys => throw Boom();
        public IEnumerable<double> Values => throw Boom();
        public int Count => throw Boom();
        public bool ContainsKey(string key) => throw Boom();
        public bool TryGetValue(string key, out double value) => throw Boom();
        public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => throw Boom();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
