using System.Text.Json;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Results;
using NUnit.Framework;

namespace Kan.Pde.Tests.Runner;

/// <summary>
/// The bundled specs solved end to end against their exact solutions. Minutes each on 2 cores, so they sit in
/// the Slow category that CI skips (run with --filter TestCategory=Slow).
/// </summary>
[Category("Slow")]
public class BundledSpecSolveTests
{
    private static string SpecPath(string name)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "problems-yaml", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"problems-yaml/{name} not found above the test directory");
    }

    private static RunMetrics Solve(string spec)
    {
        using var box = new RunnerSandbox();
        var r = box.Run("solve", SpecPath(spec), "--output", box.OutputDir, "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        TestContext.Out.WriteLine(r.Output);
        return JsonSerializer.Deserialize<RunMetrics>(File.ReadAllText(Path.Combine(box.OutputDir, ResultsWriter.MetricsFile)), MetricsJson.Options)!;
    }

    [Test]
    public void PykanTutorialSpecMeetsTheFoundationTarget()
    {
        var m = Solve("poisson-2d.yaml");
        // Foundation floor 1e-3 (pykan's tutorial with cubic splines: 1.7e-2). The performance issue asks for the error of
        // the earlier 5 -> 10 -> 20 schedule, 7.03e-5, or better; the 5 -> 10 -> 20 -> 40 schedule measured 6.8e-6 (CPU, 2
        // threads) and 7.5e-6 (H100).
        Assert.That(m.RelativeL2, Is.LessThan(7.03e-5));
        Assert.That(m.Steps, Is.EqualTo(100));
    }

    [Test]
    public void PaperSpecReachesThePapersHeadlineError()
    {
        var m = Solve("poisson-2d-paper.yaml");
        Assert.That(m.RelativeL2, Is.LessThan(1e-3));
        Assert.That(m.L2SquaredError, Is.LessThan(1e-7));     // the paper's KAN [2,10,1]: ~1e-7
    }

    [Test]
    public void HelmholtzSpecMeetsTheBenchmarkFloor()
    {
        // Issue 8's floor for the jaxKAN benchmark (jaxKAN's adaptive training: 1.02e-3 after 1e5 Adam epochs).
        var m = Solve("helmholtz-2d.yaml");
        Assert.That(m.RelativeL2, Is.LessThan(1e-3));
    }

    [Test]
    public void LShapeSpecMeetsTheFiniteDifferenceFloor()
    {
        // Issue 8's floor against the finite-difference reference (whose own error at h = 0.005 is about 3e-4).
        var m = Solve("poisson-lshape.yaml");
        Assert.That(m.RelativeL2, Is.LessThan(1e-2));
    }
}
