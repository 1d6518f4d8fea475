using Kan.Pde.Runner.Spec;
using NUnit.Framework;
using static Kan.Pde.Tests.Spec.SpecExample;

namespace Kan.Pde.Tests.Spec;

public class InterpretSpecTests
{
    private const string File = "bad.yaml";

    /// <summary>The bundled poisson-2d example with an interpret section appended; returns the text and the section's first line.</summary>
    private static (string Yaml, int FirstLine) WithInterpret(params string[] lines)
    {
        string text = Text.Replace("\r\n", "\n").TrimEnd('\n');
        int first = text.Split('\n').Length + 1;
        return (text + "\n" + string.Join("\n", lines) + "\n", first);
    }

    private static void Fails(string yaml, int line, string field, string fragment)
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, File))!;
        Assert.Multiple(() =>
        {
            Assert.That(ex.Message, Does.StartWith($"{File}:{line}:"));
            Assert.That(ex.Field, Is.EqualTo(field));
            Assert.That(ex.Message, Does.Contain(fragment));
            Assert.That(ex.Line, Is.EqualTo(line));
        });
    }

    [Test]
    public void TheBundledInterpretationSpecLoads()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(SpecExample.Path)!, "poisson-2d-interpret.yaml");
        var spec = SpecLoader.Load(path);
        var interpret = spec.Interpret!;
        Assert.That(spec.Model.Widths, Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(spec.Collocation.Interior.Count, Is.EqualTo(441));
        Assert.That(interpret.Snap.Select(r => (r.Layer, string.Join(",", r.Functions))), Is.EqualTo(new[] { (0, "x"), (1, "sin") }));
        Assert.That(interpret.Retrain, Has.Count.GreaterThanOrEqualTo(1));
        Assert.That(interpret.Retrain.All(s => s.Optimizer == OptimizerKind.Lbfgs && s.Grid is null));
        Assert.That(interpret.FreezeSplines, Is.True);
    }

    [Test]
    public void EveryKeyIsRead()
    {
        var (yaml, _) = WithInterpret(
            "interpret:",
            "  regularization: {weight: 1e-3, l1: 2, entropy: 0.5}",
            "  prune: {node_threshold: 0.02, edge_threshold: 0.01}",
            "  snap:",
            "    - {layer: 1, functions: [x^2, 1/x, sigmoid, '0']}",
            "  min_r2: 0.99",
            "  retrain:",
            "    - {optimizer: adam, steps: 10, learning_rate: 0.01}",
            "    - {optimizer: lbfgs, steps: 5, history: 20}",
            "  freeze_splines: false",
            "  digits: 4",
            "  drop_below: 1e-4");
        var i = SpecLoader.Parse(yaml, File).Interpret!;
        Assert.That(i.Regularization, Is.EqualTo(new RegularizationSpec(1e-3, 2, 0.5)));
        Assert.That(i.Prune, Is.EqualTo(new PruneSpec(0.02, 0.01)));
        Assert.That(i.Snap.Single().Functions, Is.EqualTo(new[] { "x^2", "1/x", "sigmoid", "0" }));
        Assert.That(i.MinR2, Is.EqualTo(0.99));
        Assert.That(i.Retrain.Select(s => s.Optimizer), Is.EqualTo(new[] { OptimizerKind.Adam, OptimizerKind.Lbfgs }));
        Assert.That(i.Retrain[1].Lbfgs!.History, Is.EqualTo(20));
        Assert.That((i.FreezeSplines, i.Digits, i.DropBelow), Is.EqualTo((false, 4, 1e-4)));
    }

    [Test]
    public void DefaultsApplyForAnEmptySection()
    {
        var (yaml, _) = WithInterpret("interpret: {}");
        var i = SpecLoader.Parse(yaml, File).Interpret!;
        Assert.That(i.Snap, Is.Empty);
        Assert.That((i.MinR2, i.FreezeSplines, i.Digits, i.DropBelow), Is.EqualTo((0.0, true, 6, 1e-6)));
        Assert.That(i.Retrain.Single().Steps, Is.EqualTo(50));
        Assert.That(SpecLoader.Parse(Text, File).Interpret, Is.Null);
    }

    [Test]
    public void UnknownKey()
    {
        var (yaml, first) = WithInterpret("interpret:", "  snapp: []");
        Fails(yaml, first + 1, "interpret.snapp", "unknown field 'snapp'");
    }

    [Test]
    public void UnknownFunction()
    {
        var (yaml, first) = WithInterpret("interpret:", "  snap:", "    - {layer: 0, functions: [x, sinc]}");
        Fails(yaml, first + 2, "interpret.snap[0].functions[1]", "unknown function 'sinc' (known: x, x^2");
    }

    [Test]
    public void LayerOutOfRange()
    {
        var (yaml, first) = WithInterpret("interpret:", "  snap:", "    - {layer: 2, functions: [x]}");
        Fails(yaml, first + 2, "interpret.snap[0].layer", "2 is out of range (expected an integer in [0, 1])");
    }

    [Test]
    public void LayerTwice()
    {
        var (yaml, first) = WithInterpret("interpret:", "  snap:", "    - {layer: 0, functions: [x]}", "    - {layer: 0, functions: [sin]}");
        Fails(yaml, first + 3, "interpret.snap[1].layer", "layer 0 already has a snap rule");
    }

    [Test]
    public void FunctionTwice()
    {
        var (yaml, first) = WithInterpret("interpret:", "  snap:", "    - {layer: 0, functions: [sin, sin]}");
        Fails(yaml, first + 2, "interpret.snap[0].functions[1]", "listed twice");
    }

    [Test]
    public void GridKeysAreRefusedInRetraining()
    {
        var (yaml, first) = WithInterpret("interpret:", "  retrain:", "    - {optimizer: lbfgs, steps: 5, grid: 10}");
        Fails(yaml, first + 2, "interpret.retrain[0].grid", "the grid stays fixed");
    }

    [Test]
    public void RegularizationNeedsAPositiveWeight()
    {
        var (yaml, first) = WithInterpret("interpret:", "  regularization: {weight: 0}");
        Fails(yaml, first + 1, "interpret.regularization.weight", "out of range (expected a number > 0)");
        (yaml, first) = WithInterpret("interpret:", "  regularization: {l1: 1}");
        Fails(yaml, first + 1, "interpret.regularization.weight", "required field is missing");
    }

    [Test]
    public void RangesAreChecked()
    {
        var (yaml, first) = WithInterpret("interpret:", "  min_r2: 1.5");
        Fails(yaml, first + 1, "interpret.min_r2", "out of range");
        (yaml, first) = WithInterpret("interpret:", "  digits: 0");
        Fails(yaml, first + 1, "interpret.digits", "out of range");
        (yaml, first) = WithInterpret("interpret:", "  freeze_splines: maybe");
        Fails(yaml, first + 1, "interpret.freeze_splines", "expected one of: true, false");
        (yaml, first) = WithInterpret("interpret:", "  prune: {node_threshold: -1}");
        Fails(yaml, first + 1, "interpret.prune.node_threshold", "out of range");
    }

    [Test]
    public void InterpretationNeedsAKan()
    {
        const string mlp = """
            name: mlp-interpret
            problem:
              family: poisson
              domain:
                x: [-1, 1]
              exact: sin(pi*x)
              boundary:
                - on: all
            model:
              type: mlp
              widths: [1, 8, 1]
            collocation:
              interior: {sampler: mesh, points: 16}
              boundary: {sampler: mesh, points: 2}
            schedule:
              - {optimizer: lbfgs, steps: 1}
            interpret:
              min_r2: 0.5
            """;
        Fails(mlp, 18, "interpret", "interpretation needs a kan model");
    }
}
