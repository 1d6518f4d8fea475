using System.Text;
using System.Text.RegularExpressions;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Spec;
using Kan.Pde.Tests.Spec;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// Bad specs through the real command-line entry (<see cref="Kan.Pde.Runner.Program.Run"/>, <c>solve SPEC</c>):
/// hand-made cases of every kind the issue lists and hundreds of mutated and random ones. Each must end with exit
/// code 2 and one line <c>error: FILE:LINE:COL: field 'PATH': PROBLEM</c>, print nothing on standard output, and
/// write nothing (no results, partial or parent folder). A native abort would take the test process down.
/// </summary>
public class CommandLineFuzzTests
{
    private static readonly string Base = CliConventionsTests.TinySpec.Replace("\r\n", "\n").TrimEnd() + "\n";

    /// <summary>The tiny spec with the first occurrence of <paramref name="from"/> replaced.</summary>
    private static string With(string from, string to)
    {
        int at = Base.IndexOf(from, StringComparison.Ordinal);
        if (at < 0) throw new ArgumentException($"'{from}' is not in the base spec");
        return Base[..at] + to + Base[(at + from.Length)..];
    }

    /// <summary>Hand-made bad specs, by kind, each with the field its message must name (null: any field).</summary>
    private static IEnumerable<(string Kind, string Text, string? Field)> HandMade()
    {
        yield return ("empty", "", "(root)");
        yield return ("blank", "  \n\n   \n", "(root)");
        yield return ("comment only", "# nothing here\n", "(root)");
        yield return ("nested sequences", "name: " + new string('[', 100_000), "(yaml)");
        yield return ("nested mappings", "a: " + string.Concat(Enumerable.Repeat("{b: ", 200)), "(yaml)");
        yield return ("nested blocks", string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i) + "k:\n")), "(yaml)");
        yield return ("huge steps", With("steps: 3", "steps: 1e400"), "schedule[0].steps");
        yield return ("long steps", With("steps: 3", "steps: 99999999999999999999"), "schedule[0].steps");
        yield return ("huge grid", With("grid: 3", "grid: 10000000000"), "model.grid");
        yield return ("huge width", With("widths: [1, 2, 1]", "widths: [1, 1e12, 1]"), "model.widths[1]");
        yield return ("huge domain", With("x: [-1, 1]", "x: [-1e308, 1e308]"), "problem.domain.x");
        yield return ("overflowing domain", With("x: [-1, 1]", "x: [-1e400, 1]"), "problem.domain.x[0]");
        yield return ("huge learning rate", With("steps: 3}", "steps: 3, learning_rate: 1e999}"), "schedule[0].learning_rate");
        yield return ("huge seed", Base + "seed: 1e30\n", "seed");
        yield return ("huge threads", Base.Replace("threads: 1", "threads: 100000000"), "threads");
        yield return ("problem is a number", With("problem:\n", "problem: 5\nx:\n"), null);
        yield return ("model is a list", With("model: {type: kan, widths: [1, 2, 1], grid: 3}", "model: [1, 2]"), "model");
        yield return ("widths is text", With("widths: [1, 2, 1]", "widths: abc"), "model.widths");
        yield return ("width is text", With("widths: [1, 2, 1]", "widths: [1, two, 1]"), "model.widths[1]");
        yield return ("quoted number", With("grid: 3", "grid: '3'"), "model.grid");
        yield return ("schedule is a mapping", With("schedule:\n  - {optimizer: lbfgs, steps: 3}\n  - {optimizer: lbfgs, steps: 2, grid: 6}", "schedule: {a: 1}"), "schedule");
        yield return ("collocation is text", With("collocation:\n  interior: {sampler: mesh, points: 16}\n  boundary: {sampler: mesh, points: 2}", "collocation: mesh"), "collocation");
        yield return ("name is a list", With("name: tiny", "name: [1]"), "name");
        yield return ("exact is a list", With("exact: sin(pi*x)", "exact: [1, 2]"), "problem.exact");
        yield return ("boundary is a number", With("boundary:\n    - on: all", "boundary: 3"), "problem.boundary");
        yield return ("points is a mapping", With("points: 16", "points: {a: 1}"), "collocation.interior.points");
        yield return ("optimizer is a number", With("optimizer: lbfgs, steps: 3", "optimizer: 7, steps: 3"), "schedule[0].optimizer");
        yield return ("unknown function", With("exact: sin(pi*x)", "exact: foo(x)"), "problem.exact");
        yield return ("unsupported function", With("exact: sin(pi*x)", "exact: gamma(x)"), "problem.exact");
        yield return ("wrong arity", With("exact: sin(pi*x)", "exact: sin(x, x)"), "problem.exact");
        yield return ("unknown variable", With("exact: sin(pi*x)", "exact: sin(pi*q)"), "problem.exact");
        yield return ("empty expression", With("exact: sin(pi*x)", "exact: ''"), "problem.exact");
        yield return ("dangling operator", With("exact: sin(pi*x)", "exact: sin(pi*x) +"), "problem.exact");
        yield return ("NaN in the domain", With("x: [-1, 1]", "x: [.nan, 1]"), "problem.domain.x[0]");
        yield return ("NaN grid range", With("grid: 3}", "grid: 3, grid_range: [.nan, 1]}"), "model.grid_range[0]");
        yield return ("NaN learning rate", With("steps: 3}", "steps: 3, learning_rate: .nan}"), "schedule[0].learning_rate");
        yield return ("NaN weight", Base + "loss: {weights: {pde: .nan}}\n", "loss.weights.pde");
        yield return ("NaN grid_eps", With("grid: 3}", "grid: 3, grid_eps: .NaN}"), "model.grid_eps");
        yield return ("NaN boundary value", With("- on: all", "- {on: all, value: .nan}"), "problem.boundary[0].value");
        yield return ("infinite domain", With("x: [-1, 1]", "x: [-.inf, 1]"), "problem.domain.x[0]");
        yield return ("infinite steps", With("steps: 3", "steps: .inf"), "schedule[0].steps");
        yield return ("negative mesh points", With("points: 16", "points: -5"), "collocation.interior.points");
        yield return ("zero mesh points", With("points: 16", "points: 0"), "collocation.interior.points");
        yield return ("negative count", With("interior: {sampler: mesh, points: 16}", "interior: {sampler: random, count: -1}"), "collocation.interior.count");
        yield return ("negative width", With("widths: [1, 2, 1]", "widths: [1, -3, 1]"), "model.widths[1]");
        yield return ("negative steps", With("steps: 3", "steps: -1"), "schedule[0].steps");
        yield return ("negative grid", With("grid: 3", "grid: -2"), "model.grid");
        yield return ("negative history", With("steps: 3}", "steps: 3, history: -1}"), "schedule[0].history");
        yield return ("negative evaluation", With("evaluation: {points: 21}", "evaluation: {points: -21}"), "evaluation.points");
        yield return ("enormous mesh", With("points: 16", "points: 100000000"), "collocation.interior.points");
        yield return ("enormous count", With("interior: {sampler: mesh, points: 16}", "interior: {sampler: random, count: 2000000000}"), "collocation.interior.count");
        yield return ("enormous evaluation", With("evaluation: {points: 21}", "evaluation: {points: 99999999}"), "evaluation.points");
        yield return ("enormous network", With("widths: [1, 2, 1], grid: 3", "widths: [1, 100000, 100000, 1], grid: 3"), "model");
        yield return ("enormous grid", With("widths: [1, 2, 1], grid: 3", "widths: [1, 1000, 1000, 1], grid: 100000"), "model");
        yield return ("enormous training", With("widths: [1, 2, 1], grid: 3}", "widths: [1, 50, 50, 1], grid: 3}").Replace("points: 16", "points: 4000000"), "collocation");
        yield return ("enormous evaluation work", With("widths: [1, 2, 1], grid: 3}", "widths: [1, 50, 50, 1], grid: 3}").Replace("points: 21", "points: 5000000"), "evaluation");
        yield return ("unknown key", Base + "epochs: 5\n", "epochs");
        yield return ("duplicate key", Base + "threads: 2\n", null);
        yield return ("two documents", Base + "---\nname: other\n", "(yaml)");
        yield return ("tab indentation", With("  family: poisson", "\tfamily: poisson"), "(yaml)");
        yield return ("NUL character", With("name: tiny", "name: ti\0ny"), "(yaml)");
        yield return ("unknown family", With("family: poisson", "family: heat-equation"), "problem.family");
        yield return ("bad device", Base + "device: tpu\n", "device");
        yield return ("zero checkpoint steps", Base + "checkpoint: {every_steps: 0}\n", "checkpoint.every_steps");
        yield return ("NaN checkpoint minutes", Base + "checkpoint: {every_minutes: .nan}\n", "checkpoint.every_minutes");
        yield return ("checkpoint typo", Base + "checkpoint: {every_step: 5}\n", "checkpoint.every_step");
        yield return ("checkpoint is a number", Base + "checkpoint: 5\n", "checkpoint");
        yield return ("unknown divergence action", Base + "on_divergence: retry\n", "on_divergence");
        yield return ("growth below one", Base + "divergence: {loss_growth: 0.5}\n", "divergence.loss_growth");
        yield return ("negative rollbacks", Base + "divergence: {rollbacks: -1}\n", "divergence.rollbacks");
        yield return ("learning rate factor above one", Base + "divergence: {learning_rate_factor: 2}\n", "divergence.learning_rate_factor");
    }

    private RunnerSandbox _box = null!;
    private int _checked;

    [SetUp]
    public void SetUp()
    {
        _box = new RunnerSandbox();
        _checked = 0;
    }

    [TearDown]
    public void TearDown() => _box.Dispose();

    /// <summary>Runs <c>solve</c> on the file and checks the bad-input contract.</summary>
    private void AssertRejected(string specPath, string what)
    {
        var r = _box.Run("solve", specPath, "--output", _box.OutputDir, "--quiet");
        string show = $"{what}: exit {r.ExitCode}, stderr: {r.Error}";
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), show);
        Assert.That(r.ErrorLines, Has.Length.EqualTo(1), show);
        Assert.That(r.Error, Does.Match($"^error: {Regex.Escape(specPath)}:[1-9][0-9]*:[1-9][0-9]*: field '[^']+': \\S"), show);
        Assert.That(r.Error, Does.Not.Contain("internal error"), show);
        Assert.That(r.Output, Is.Empty, show);
        Assert.That(Directory.Exists(Path.GetDirectoryName(_box.OutputDir)), Is.False, $"{what}: nothing may be written");
        _checked++;
    }

    private string Write(string text, string name = "fuzz.yaml") => _box.WriteSpec(text, name);

    [Test]
    public void EveryHandMadeBadSpecExitsWith2NamingItsField()
    {
        int count = 0;
        var wrongField = new List<string>();
        foreach (var (kind, text, field) in HandMade())
        {
            AssertRejected(Write(text), kind);
            string message = _box.Run("solve", Write(text), "--output", _box.OutputDir).Error;
            if (field is not null && !message.Contains($": field '{field}': ")) wrongField.Add($"{kind}: expected field '{field}': {message.Trim()}");
            count++;
        }
        Assert.That(wrongField, Is.Empty, string.Join("\n", wrongField));
        TestContext.Out.WriteLine($"{count} hand-made bad specs, all exit 2");
        Assert.That(count, Is.GreaterThanOrEqualTo(70));
    }

    [Test]
    public void BinaryFilesExitWith2()
    {
        var rng = new Random(5);
        for (int i = 0; i < 20; i++)
        {
            var bytes = new byte[rng.Next(1, 4000)];
            rng.NextBytes(bytes);
            string path = Path.Combine(_box.Root, "binary.yaml");
            File.WriteAllBytes(path, bytes);
            AssertRejected(path, $"binary file {i}");
        }
        // A spec truncated inside a UTF-8 sequence, and a UTF-16 file.
        var utf8 = Encoding.UTF8.GetBytes(Base.Replace("tiny", "tïny"));
        File.WriteAllBytes(Path.Combine(_box.Root, "cut.yaml"), utf8[..(Base.IndexOf("tiny", StringComparison.Ordinal) + 2)]);
        AssertRejected(Path.Combine(_box.Root, "cut.yaml"), "cut UTF-8");
        File.WriteAllText(Path.Combine(_box.Root, "utf16.yaml"), Base, Encoding.Unicode);
        string? loaded = null;
        try { loaded = SpecLoader.Load(Path.Combine(_box.Root, "utf16.yaml")).Name; }
        catch (SpecException) { AssertRejected(Path.Combine(_box.Root, "utf16.yaml"), "UTF-16 file"); }
        if (loaded is not null) Assert.That(loaded, Is.EqualTo("tiny"), "a UTF-16 spec either loads correctly or is refused");
    }

    [Test]
    public void MutatedAndRandomSpecsThatDoNotLoadExitWith2([Values(1, 2)] int seed)
    {
        var rng = new Random(100 + seed);
        int bad = 0, good = 0;
        for (int run = 0; run < 150; run++)
        {
            string text = Base;
            int mutations = 1 + rng.Next(3);
            for (int m = 0; m < mutations; m++) text = SpecLoaderFuzzTests.Mutate(text, rng);
            // Specs that still load would start training: they are valid input, not this test's subject.
            if (Loads(text)) { good++; continue; }
            AssertRejected(Write(text), $"mutation {run} of seed {seed}:\n{text}");
            bad++;
        }
        for (int run = 0; run < 40; run++)
        {
            var sb = new StringBuilder();
            int length = rng.Next(80);
            for (int i = 0; i < length; i++) sb.Append(SpecLoaderFuzzTests.Noise[rng.Next(SpecLoaderFuzzTests.Noise.Length)]);
            if (Loads(sb.ToString())) { good++; continue; }
            AssertRejected(Write(sb.ToString()), $"random text {run}");
            bad++;
        }
        TestContext.Out.WriteLine($"seed {seed}: {bad} bad specs exit 2 through solve, {good} still valid (not run)");
        Assert.That(bad, Is.GreaterThanOrEqualTo(100));
    }

    private static bool Loads(string text)
    {
        try
        {
            SpecLoader.Parse(text, "probe.yaml");
            return true;
        }
        catch (SpecException)
        {
            return false;
        }
    }
}
