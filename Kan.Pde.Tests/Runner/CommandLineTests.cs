using System.Text.RegularExpressions;
using Kan.Pde.Runner.Commands;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// The command line end to end, in-process through <see cref="Kan.Pde.Runner.Program.Run"/>: every kind of bad
/// input exits with code 2, one error line naming file, line and field, and no results folder.
/// </summary>
public class CommandLineTests
{
    /// <summary>A valid, tiny 1-D spec; the cases below break one line of it.</summary>
    private static readonly string[] ValidSpec =
    [
        "name: cli-check",                              //  1
        "problem:",                                     //  2
        "  family: poisson",                            //  3
        "  domain:",                                    //  4
        "    x: [-1, 1]",                               //  5
        "  exact: sin(pi*x)",                           //  6
        "  boundary:",                                  //  7
        "    - on: all",                                //  8
        "model:",                                       //  9
        "  type: kan",                                  // 10
        "  widths: [1, 3, 1]",                          // 11
        "  grid: 5",                                    // 12
        "collocation:",                                 // 13
        "  interior: {sampler: mesh, points: 16}",      // 14
        "  boundary: {sampler: mesh, points: 2}",       // 15
        "schedule:",                                    // 16
        "  - {optimizer: lbfgs, steps: 1}",             // 17
        "seed: 0",                                      // 18
    ];

    private RunnerSandbox _box = null!;

    [SetUp]
    public void SetUp() => _box = new RunnerSandbox();

    [TearDown]
    public void TearDown() => _box.Dispose();

    /// <summary>The valid spec with 1-based line <paramref name="line"/> replaced (null: removed).</summary>
    private static string SpecWithLine(int line, string? replacement)
    {
        var lines = ValidSpec.ToList();
        if (replacement is null) lines.RemoveAt(line - 1);
        else lines[line - 1] = replacement;
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>
    /// Runs <c>solve SPEC --output DIR</c> on <paramref name="yaml"/> and checks the bad-input contract; returns the
    /// single error line. <paramref name="column"/>, when given, is checked too.
    /// </summary>
    private string SolveFailsAt(string yaml, int line, string field, string fragment, int? column = null)
    {
        string spec = _box.WriteSpec(yaml);
        var r = _box.Run("solve", spec, "--output", _box.OutputDir, "--quiet");
        string location = column is int c ? $"{spec}:{line}:{c}:" : $"{spec}:{line}:";
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), r.Error);
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), "exactly one error line");
            Assert.That(r.Error, Does.StartWith($"error: {location}"));
            Assert.That(r.Error, Does.Contain($": field '{field}': "));
            Assert.That(r.Error, Does.Contain(fragment));
            Assert.That(r.Output, Is.Empty, "nothing on standard output for a rejected spec");
            AssertNothingWritten();
        });
        return r.ErrorLines[0];
    }

    private void AssertNothingWritten()
    {
        Assert.That(_box.Folders(), Is.Empty, "no results, *.partial-* or parent folder may be created for bad input");
        Assert.That(Directory.Exists(_box.OutputDir), Is.False);
    }

    [Test]
    public void ANaNSourceStopsTrainingNamingTheTermAndStepAndWritesNothing()
    {
        // log(x - 2) is NaN on the whole domain [-1, 1]: the residual term is NaN at the first evaluation.
        string spec = _box.WriteSpec("""
            name: planted-nan
            problem:
              family: poisson
              domain: {x: [-1, 1]}
              source: log(x-2)
              boundary:
                - {on: all, value: 0}
            model: {type: kan, widths: [1, 2, 1]}
            collocation:
              interior: {sampler: mesh, points: 10}
              boundary: {sampler: mesh, points: 2}
            schedule:
              - {optimizer: lbfgs, steps: 3}
            threads: 1
            """);
        var r = _box.Run("solve", spec, "--output", Path.Combine(_box.Root, "out", "run"), "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Diverged));
        Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
        Assert.That(r.ErrorLines[0], Does.Contain("step 0").And.Contain("'pde'").And.Contain("NaN"));
        Assert.That(_box.Folders(), Is.Empty);
    }

    [Test]
    public void TheBaseSpecIsValid() =>
        Assert.DoesNotThrow(() => Kan.Pde.Runner.Spec.SpecLoader.Parse(SpecWithLine(18, "seed: 0"), "base.yaml"));

    [Test]
    public void MalformedYaml() =>
        SolveFailsAt(SpecWithLine(10, "  type: kan: mlp"), 10, "(yaml)", "invalid YAML");

    [Test]
    public void UnclosedBracket()
    {
        // YamlDotNet reports some scanner failures without a position; the loader still names the file and a line.
        string spec = _box.WriteSpec(SpecWithLine(11, "  widths: [1, 3, 1"));
        var r = _box.Run("solve", spec, "--output", _box.OutputDir);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), r.Error);
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.Error, Does.Match($"^error: {Regex.Escape(spec)}:[0-9]+:[0-9]+: field '"));
            AssertNothingWritten();
        });
    }

    [Test]
    public void UnknownKey() =>
        SolveFailsAt(SpecWithLine(12, "  grd: 5"), 12, "model.grd", "unknown field 'grd'", column: 3);

    [Test]
    public void MissingRequiredField() =>
        // Reported at the mapping that lacks the field: model's first remaining key, now on line 10.
        SolveFailsAt(SpecWithLine(10, null), 10, "model.type", "required field is missing");

    [Test]
    public void MissingTopLevelSection() =>
        SolveFailsAt(SpecWithLine(16, null).Replace("  - {optimizer: lbfgs, steps: 1}\n", ""), 1, "schedule", "required field is missing");

    [Test]
    public void UnparsableExpressionShowsThePosition()
    {
        // "sin(pi*x))": the stray ')' is character 10 of the value, which starts in column 10.
        string line = SolveFailsAt(SpecWithLine(6, "  exact: sin(pi*x))"), 6, "problem.exact", "invalid expression", column: 19);
        Assert.That(line, Does.Contain("column 10"));
    }

    [Test]
    public void UnknownVariableInAnExpression() =>
        SolveFailsAt(SpecWithLine(6, "  exact: sin(pi*y)"), 6, "problem.exact", "unknown variable 'y'", column: 17);

    [Test]
    public void FirstWidthMustMatchTheDomainDimension() =>
        SolveFailsAt(SpecWithLine(11, "  widths: [2, 3, 1]"), 11, "model.widths[0]",
            "the first width must equal the domain dimension 1, got 2", column: 12);

    [Test]
    public void NonexistentSpecFile()
    {
        string missing = Path.Combine(_box.Root, "no-such-spec.yaml");
        var r = _box.Run("solve", missing, "--output", _box.OutputDir);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.Error, Does.StartWith($"error: {missing}:"));
            Assert.That(r.Error, Does.Contain("cannot read the spec file"));
            AssertNothingWritten();
        });
    }

    [Test]
    public void SpecPathIsAFolder()
    {
        var r = _box.Run("solve", _box.Root, "--output", _box.OutputDir);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.Error, Does.Contain("cannot read the spec file"));
            AssertNothingWritten();
        });
    }

    [Test]
    public void UnknownCommand()
    {
        var r = _box.Run("frobnicate", "--output", _box.OutputDir);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.Error, Does.Contain("unknown command 'frobnicate'"));
            AssertNothingWritten();
        });
    }

    [Test]
    public void UnknownOption()
    {
        string spec = _box.WriteSpec(string.Join("\n", ValidSpec));
        var r = _box.Run("solve", spec, "--bogus", "--output", _box.OutputDir);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.Error, Does.Contain("unknown option '--bogus'"));
            AssertNothingWritten();
        });
    }

    [Test]
    public void OptionWithoutItsValue()
    {
        string spec = _box.WriteSpec(string.Join("\n", ValidSpec));
        var r = _box.Run("solve", spec, "--output");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1));
            Assert.That(r.Error, Does.Contain("'--output' needs a value"));
            AssertNothingWritten();
        });
    }

    [Test]
    public void TwoSpecFiles()
    {
        string spec = _box.WriteSpec(string.Join("\n", ValidSpec));
        var r = _box.Run("solve", spec, spec, "--output", _box.OutputDir);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(r.Error, Does.Contain("one spec file"));
            AssertNothingWritten();
        });
    }

    [Test]
    public void VersionPrintsAVersion()
    {
        var r = _box.Run("--version");
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(r.Output.Trim(), Does.Match(@"^kan-pde [0-9]+\.[0-9]+\.[0-9]+$"));
            Assert.That(r.Error, Is.Empty);
        });
    }

    [TestCase("--help")]
    [TestCase("-h")]
    public void HelpPrintsUsage(string flag)
    {
        var r = _box.Run(flag);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success));
            Assert.That(r.Output, Does.Contain("usage:"));
            Assert.That(r.Output, Does.Contain("kan-pde solve"));
            Assert.That(r.Output, Does.Contain("exit codes"));
            Assert.That(r.Error, Is.Empty);
        });
    }

    [Test]
    public void NoArgumentsPrintsUsageAndExits2()
    {
        var r = _box.Run();
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
            Assert.That(r.Output, Does.Contain("usage:"));
        });
    }
}
