using Kan.Pde.Problems.Poisson;
using Kan.Pde.Runner.Spec;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Spec;

public class SpecLoaderExampleTests
{
    [Test]
    public void BundledExampleLoadsWithItsValues()
    {
        var spec = SpecLoader.Load(SpecExample.Path);

        Assert.That(spec.Name, Is.EqualTo("poisson-2d"));
        Assert.That(spec.SourceFile, Is.EqualTo(SpecExample.Path));

        var p = spec.Problem;
        Assert.That(p.Family, Is.EqualTo("poisson"));
        Assert.That(p.Domain, Is.EqualTo(new[] { new DomainAxis("x", -1, 1), new DomainAxis("y", -1, 1) }));
        Assert.That(p.Variables, Is.EqualTo(new[] { "x", "y" }));
        Assert.That(p.Geometry.BoundaryParts, Is.EqualTo(new[] { "x-min", "x-max", "y-min", "y-max" }));
        var poisson = (PoissonProblem)p.Definition;
        Assert.That(poisson.Exact, Is.Not.Null);
        // The source is omitted: the Poisson problem derives it from the exact solution, Δ sin(πx)sin(πy) = −2π² sin(πx)sin(πy).
        Assert.That(poisson.Source.Evaluate(0.3, 0.7), Is.EqualTo(-12.919479888783745).Within(1e-12));
        Assert.That(poisson.Boundary.Pieces, Has.Count.EqualTo(1));
        Assert.That(poisson.Boundary.Pieces[0].Parts, Is.EqualTo(new[] { "x-min", "x-max", "y-min", "y-max" }));
        Assert.That(poisson.Boundary.ValueOn("y-max").ToString(), Is.EqualTo("0"));

        Assert.That(spec.Model.Type, Is.EqualTo(ModelType.Kan));
        Assert.That(spec.Model.Widths, Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(spec.Model.Kan, Is.EqualTo(new KanSpec(5, 5, -1, 1, 0.02, "silu")));
        Assert.That(spec.Model.Mlp, Is.Null);

        Assert.That(spec.Collocation.Interior.Kind, Is.EqualTo(SamplerKind.Mesh));
        Assert.That(spec.Collocation.Interior.Points, Is.EqualTo(new[] { 51, 51 }));
        Assert.That(spec.Collocation.Boundary.Kind, Is.EqualTo(SamplerKind.Mesh));
        Assert.That(spec.Collocation.Boundary.Points, Is.EqualTo(new[] { 51, 51 }));

        Assert.That(spec.Loss.Weights, Is.EqualTo(new Dictionary<string, double> { ["pde"] = 0.01, ["boundary"] = 1.0 }));

        Assert.That(spec.Schedule, Has.Count.EqualTo(4));
        Assert.That(spec.Schedule.Select(s => s.Grid), Is.EqualTo(new int?[] { 5, 10, 20, 40 }));
        Assert.That(spec.Schedule.Select(s => s.Steps), Is.EqualTo(new[] { 10, 20, 30, 40 }));
        Assert.That(spec.Schedule.Select(s => s.GridUpdateAt), Is.EqualTo(new[] { new[] { 0, 5 }, new[] { 0, 5, 10 }, new[] { 0, 5 }, new[] { 0 } }));
        foreach (var stage in spec.Schedule)
        {
            Assert.That(stage.Optimizer, Is.EqualTo(OptimizerKind.Lbfgs));
            Assert.That(stage.LearningRate, Is.EqualTo(1.0));
            Assert.That(stage.Lbfgs, Is.EqualTo(new LbfgsSpec(10, 20, 25, 1e-32, 1e-32, LineSearch.StrongWolfe)));
        }

        Assert.That(spec.Evaluation.Points, Is.EqualTo(new[] { 101, 101 }));
        Assert.That(spec.DType, Is.EqualTo(ScalarType.Float64));
        Assert.That(spec.Device, Is.EqualTo("cpu"));
        Assert.That(spec.Seed, Is.EqualTo(0));
        Assert.That(spec.Threads, Is.Null);
        Assert.That(spec.Output, Is.EqualTo("results/poisson-2d"));
    }

    [Test]
    public void EmbeddedDefaultSpecIsTheSameFile()
    {
        using var stream = typeof(SpecLoader).Assembly.GetManifestResourceStream("default-spec.yaml");
        Assert.That(stream, Is.Not.Null);
        using var reader = new StreamReader(stream!);
        var spec = SpecLoader.Parse(reader.ReadToEnd(), "default-spec.yaml");
        Assert.That(spec.Name, Is.EqualTo("poisson-2d"));
    }

    [Test]
    public void OmittedOptionalFieldsTakeTheirDefaults()
    {
        const string yaml = """
            name: mlp-3d
            problem:
              family: poisson
              domain: {x: [0, 1], y: [0, 2], z: [-1, 1]}
              source: "1"
              boundary:
                - {on: all, value: x*y*z}
            model: {type: mlp, widths: [3, 16, 16, 1]}
            collocation:
              interior: {sampler: random, count: 1000}
              boundary: {sampler: mesh, points: [5, 6, 7]}
            schedule:
              - {optimizer: adam, steps: 100}
              - {optimizer: lbfgs, steps: 10}
            """;
        var spec = SpecLoader.Parse(yaml, "inline.yaml");

        var poisson = (PoissonProblem)spec.Problem.Definition;
        Assert.That(poisson.Exact, Is.Null);
        Assert.That(poisson.Source.ToString(), Is.EqualTo("1"));
        Assert.That(poisson.Boundary.ValueOn("z-max").Evaluate(2.0, 3.0, 4.0), Is.EqualTo(24));
        Assert.That(spec.Model.Mlp, Is.EqualTo(new MlpSpec("tanh")));
        Assert.That(spec.Model.Kan, Is.Null);
        Assert.That(spec.Collocation.Interior, Is.EqualTo(new SamplerSpec(SamplerKind.Random, null, 1000)));
        Assert.That(spec.Loss.Weights, Is.Empty);
        Assert.That(spec.Loss.WeightOf("pde"), Is.EqualTo(1.0));
        Assert.That(spec.Schedule[0].LearningRate, Is.EqualTo(1e-3));
        Assert.That(spec.Schedule[0].Lbfgs, Is.Null);
        Assert.That(spec.Schedule[0].Grid, Is.Null);
        Assert.That(spec.Schedule[0].GridUpdateAt, Is.Empty);
        Assert.That(spec.Schedule[1].LearningRate, Is.EqualTo(1.0));
        Assert.That(spec.Schedule[1].Lbfgs, Is.EqualTo(new LbfgsSpec(10, 20, 25, 1e-32, 1e-32, LineSearch.StrongWolfe)));
        Assert.That(spec.Evaluation.Points, Is.EqualTo(new[] { 31, 31, 31 }));
        Assert.That(spec.DType, Is.EqualTo(ScalarType.Float64));
        Assert.That(spec.Device, Is.EqualTo("cpu"));
        Assert.That(spec.Output, Is.EqualTo("results/mlp-3d"));
    }

    [Test]
    public void PerFaceConditionsDefaultToTheExactSolution()
    {
        string yaml = SpecExample.WithLine("- on: all", "    - on: x-min")
            .Replace("      value: 0", "      value: 0\n    - {on: x-max}\n    - {on: y-min, value: '1 + x'}\n    - {on: y-max}");
        var spec = SpecLoader.Parse(yaml, "faces.yaml");
        var poisson = (PoissonProblem)spec.Problem.Definition;
        Assert.That(poisson.Boundary.Pieces.Select(b => b.Parts.Single()), Is.EqualTo(new[] { "x-min", "x-max", "y-min", "y-max" }));
        Assert.That(poisson.Boundary.ValueOn("x-max").ToString(), Is.EqualTo("sin(pi*x)*sin(pi*y)"));
        Assert.That(poisson.Boundary.ValueOn("y-min").ToString(), Is.EqualTo("1 + x"));
    }

    [Test]
    public void RestartsAreRead()
    {
        Assert.That(SpecLoader.Parse(SpecExample.Text, "poisson-2d.yaml").Restarts, Is.EqualTo(new RestartSpec(4, 5)));
        var without = System.Text.RegularExpressions.Regex.Replace(SpecExample.Text, @"^restarts:.*\n", "", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.That(SpecLoader.Parse(without, "single.yaml").Restarts, Is.Null);
    }

    [Test]
    public void OtherSettingsAreRead()
    {
        string yaml = SpecExample.Text
            .Replace("dtype: float64", "dtype: float32")
            .Replace("device: cpu", "device: cuda:1")
            .Replace("seed: 0", "seed: 42\nthreads: 2")
            .Replace("output: results/poisson-2d", "output: out/run");
        var spec = SpecLoader.Parse(yaml, "settings.yaml");
        Assert.That(spec.DType, Is.EqualTo(ScalarType.Float32));
        Assert.That(spec.Device, Is.EqualTo("cuda:1"));
        Assert.That(spec.Seed, Is.EqualTo(42));
        Assert.That(spec.Threads, Is.EqualTo(2));
        Assert.That(spec.Output, Is.EqualTo("out/run"));
    }

    [Test]
    public void MissingFileIsASpecException()
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.Load("/nonexistent/spec.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("/nonexistent/spec.yaml:1:1: "));
    }
}
