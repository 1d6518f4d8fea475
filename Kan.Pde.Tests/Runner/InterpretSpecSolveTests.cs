using System.Text.Json;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Results;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>The bundled interpretation spec end to end (minutes on 2 cores, so Slow).</summary>
[Category("Slow")]
public class InterpretSpecSolveTests
{
    [Test]
    public void PykanInterpretationExampleGivesTheExactFormula()
    {
        string spec = SpecPath("poisson-2d-interpret.yaml");
        using var box = new RunnerSandbox();
        var r = box.Run("interpret", spec, "--output", box.OutputDir, "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        TestContext.Out.WriteLine(r.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(box.OutputDir, FormulaFiles.JsonFile)));
        var root = json.RootElement;
        // Issue floor: a formula equivalent to sin πx sin πy with relative L2 ≤ 1e-6 (measured: the exact text, 0 and 3.3e-16).
        Assert.That(root.GetProperty("formula").GetString(), Is.EqualTo("sin(pi*x)*sin(pi*y)"));
        Assert.That(root.GetProperty("formulaRelativeL2").GetDouble(), Is.LessThanOrEqualTo(1e-6));
        Assert.That(root.GetProperty("fullFormulaRelativeL2").GetDouble(), Is.LessThanOrEqualTo(1e-6));
        Assert.That(root.GetProperty("snaps").EnumerateArray().Select(s => s.GetProperty("function").GetString()),
            Is.EqualTo(new[] { "x", "x", "x", "x", "sin", "sin" }));
    }

    private static string SpecPath(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "problems-yaml", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"problems-yaml/{name} not found above the test directory");
    }
}
