// README-USINGS-BEGIN
using Kan.Pde.Core.Derivatives;
using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using Kan.Pde.Core.Training;
using Kan.Pde.Problems.Poisson;
using TorchSharp;
using static TorchSharp.torch;
// README-USINGS-END
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Kan.Pde.Tests.Library;

/// <summary>
/// The README's library example ("Using Kan.Pde as a library") is this file's code, character for character: one
/// test compares the two, the other runs it and checks the error it reaches.
/// </summary>
public class ReadmeLibraryExampleTests
{
    private static double Example()
    {
        // README-EXAMPLE-BEGIN
        // Δu = f on [-1, 1]², u = 0 on the boundary; f is derived from the exact solution u* = sin(πx)·sin(πy).
        var domain = new Box(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) });
        var exact = ExpressionParser.Parse("sin(pi*x)*sin(pi*y)", domain.Variables);
        var problem = new PoissonProblem(domain, exact, source: null, boundary: new[] { ("all", (Expr?)null) });

        // Collocation points: a 16 × 16 interior mesh and 16 points along every edge.
        var points = new CollocationSet(domain.MeshInterior(new[] { 16, 16 }, ScalarType.Float64, CPU),
            domain.MeshBoundary(16, ScalarType.Float64, CPU), domain);

        // KAN [2, 3, 1] with quintic splines on 5 grid intervals, initial weights from seed 0.
        var network = new KanNetwork(new[] { 2, 3, 1 }, new KanOptions(GridSize: 5, Order: 5), ScalarType.Float64, CPU, new Generator(0));

        // 15 L-BFGS steps on G = 5 (knots adapted to the data first), then 15 on the refined grid G = 10.
        var evaluation = domain.MeshInterior(new[] { 41, 41 }, ScalarType.Float64, CPU);
        var trainer = new Trainer(network, problem, new ForwardModeEvaluator(network), points, evaluation,
            new LossWeights(new Dictionary<string, double> { ["pde"] = 0.01 }));
        trainer.StepCompleted += s => { if (s.Step % 5 == 4) Console.WriteLine($"step {s.Step + 1}: loss {s.TotalLoss:E2}, error {s.RelativeL2:E2}"); };
        var result = trainer.Run(new[]
        {
            new ScheduleStage(OptimizerKind.Lbfgs, Steps: 15, GridSize: 5, GridUpdateAt: new[] { 0 }),
            new ScheduleStage(OptimizerKind.Lbfgs, Steps: 15, GridSize: 10, GridUpdateAt: Array.Empty<int>()),
        });

        var errors = ErrorMetrics.Compute(network, problem.Exact!, evaluation);
        Console.WriteLine($"relative L2 error {errors.RelativeL2:E2} after {result.History.Count} steps, {result.Evaluations} evaluations");
        // README-EXAMPLE-END
        network.Dispose();
        return errors.RelativeL2;
    }

    [Test]
    public void TheExampleSolvesThePoissonProblem()
    {
        Kan.Pde.Core.Runtime.TorchRuntime.Configure(1);
        double error = Example();
        // Measured 4.4e-3 when written (CPU, one thread; deterministic); the bound is about 3× that.
        Assert.That(error, Is.LessThan(1.5e-2));
    }

    [Test]
    public void TheReadmeShowsThisCode()
    {
        string source = File.ReadAllText(ThisFile());
        string usings = Between(source, "// README-USINGS-BEGIN\n", "// README-USINGS-END\n");
        string body = Dedent(Between(source, "        // README-EXAMPLE-BEGIN\n", "        // README-EXAMPLE-END\n"), 8);
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).Replace("\r\n", "\n");
        var block = Regex.Match(readme, "## Using Kan.Pde as a library\n(?:.*\n)*?```csharp\n((?:.*\n)*?)```\n");
        Assert.That(block.Success, "README.md has a csharp block under '## Using Kan.Pde as a library'");
        Assert.That(block.Groups[1].Value, Is.EqualTo(usings + "\n" + body));
    }

    private static string Between(string text, string begin, string end)
    {
        int start = text.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
        return text[start..text.IndexOf(end, start, StringComparison.Ordinal)];
    }

    private static string Dedent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => l.Length >= spaces && l[..spaces].Trim().Length == 0 ? l[spaces..] : l.TrimStart()));

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(ThisFile())!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && Directory.Exists(Path.Combine(dir.FullName, "Kan.Pde.Core")))
                return dir.FullName;
        throw new DirectoryNotFoundException("repository root not found above " + ThisFile());
    }
}
