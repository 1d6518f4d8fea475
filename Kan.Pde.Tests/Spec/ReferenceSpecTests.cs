using Kan.Pde.Runner.Spec;
using NUnit.Framework;

namespace Kan.Pde.Tests.Spec;

/// <summary>evaluation.reference: CSV reference samples next to the spec, and the errors of bad tables.</summary>
public class ReferenceSpecTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "kan-ref-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private const string Spec = """
        name: ref
        problem:
          family: navier-stokes
          domain:
            x: [0, 1]
            y: [0, 1]
          reynolds: 100
          boundary:
            - {on: all, u: 0, v: 0}
        model:
          type: mlp
          widths: [2, 4, 3]
        collocation:
          interior: {sampler: mesh, points: 5}
          boundary: {sampler: mesh, points: 5}
        schedule:
          - {optimizer: lbfgs, steps: 1}
        evaluation:
          reference:
            - REFERENCE
        """;

    private string Write(string reference, string csv)
    {
        System.IO.File.WriteAllText(Path.Combine(_dir, "table.csv"), csv);
        string path = Path.Combine(_dir, "spec.yaml");
        System.IO.File.WriteAllText(path, Spec.Replace("REFERENCE", reference));
        return path;
    }

    private const int ReferenceLine = 20;

    [Test]
    public void ATableWithAFixedCoordinateAndSnappedNodesIsRead()
    {
        string csv = "# a comment naming the source\ny,u\n0.0000,0\n0.0547,-0.03717\n\n1.0000,1\n";
        var spec = SpecLoader.Load(Write("{name: centre, file: table.csv, at: {x: 0.5}, snap: 0.0078125}", csv));
        var r = spec.Evaluation.References.Single();
        Assert.Multiple(() =>
        {
            Assert.That(r.Name, Is.EqualTo("centre"));
            Assert.That(r.Points.Select(p => p[0]), Is.All.EqualTo(0.5));
            // 0.0547 is the node 7/128 rounded to 4 decimals.
            Assert.That(r.Points.Select(p => p[1]), Is.EqualTo(new[] { 0.0, 7.0 / 128, 1.0 }));
            Assert.That(r.Values.Select(v => v[0]), Is.EqualTo(new[] { 0, -0.03717, 1 }));
            Assert.That(r.Values.SelectMany(v => v.Skip(1)), Is.All.NaN);
            Assert.That(r.Varying, Is.EqualTo(new[] { 1 }));
        });
    }

    [Test]
    public void AnEmptyCellMeansNoValue()
    {
        var r = SpecLoader.Load(Write("{name: two, file: table.csv}", "x,y,u,v\n0.5,0.5,1,\n0.25,0.5,,2\n")).Evaluation.References.Single();
        Assert.That(r.Values[0][1], Is.NaN);
        Assert.That(r.Values[1][0], Is.NaN);
        Assert.That(r.Values[1][1], Is.EqualTo(2));
    }

    private void Fails(string reference, string csv, string file, int line, string field, string fragment)
    {
        var ex = Assert.Throws<SpecException>(() => SpecLoader.Load(Write(reference, csv)))!;
        Assert.Multiple(() =>
        {
            Assert.That(Path.GetFileName(ex.File), Is.EqualTo(file));
            Assert.That(ex.Line, Is.EqualTo(line));
            Assert.That(ex.Field, Is.EqualTo(field));
            Assert.That(ex.Message, Does.Contain(fragment));
        });
    }

    [Test]
    public void AnUnknownColumnIsNamed() =>
        Fails("{name: r, file: table.csv}", "x,y,w\n0,0,1\n", "table.csv", 1, "evaluation.reference[0].file", "unknown column 'w'");

    [Test]
    public void AMissingCoordinateNeedsAt() =>
        Fails("{name: r, file: table.csv}", "y,u\n0,1\n", "spec.yaml", ReferenceLine, "evaluation.reference[0].file", "has no column for x; give it a value with 'at'");

    [Test]
    public void ACellThatIsNotANumberIsLocated() =>
        Fails("{name: r, file: table.csv, at: {x: 0.5}}", "# source\ny,u\n0,1\n0.5,one\n", "table.csv", 4, "evaluation.reference[0].file", "'one' in column 'u' is not a finite number");

    [Test]
    public void AMissingFileIsReported() =>
        Fails("{name: r, file: nowhere.csv, at: {x: 0.5}}", "y,u\n", "spec.yaml", ReferenceLine, "evaluation.reference[0].file", "cannot read the reference file nowhere.csv");

    [Test]
    public void SamplesOutsideTheDomainAreRefused() =>
        Fails("{name: r, file: table.csv, at: {x: 0.5}}", "y,u\n2,1\n", "spec.yaml", ReferenceLine, "evaluation.reference[0].file", "lies outside the domain");

    [Test]
    public void AFixedCoordinateLiesInTheDomain() =>
        Fails("{name: r, file: table.csv, at: {x: 3}}", "y,u\n0,1\n", "spec.yaml", ReferenceLine, "evaluation.reference[0].at.x", "[0, 1]");

    [Test]
    public void ACoordinateIsEitherAColumnOrFixed() =>
        Fails("{name: r, file: table.csv, at: {x: 0.5}}", "x,y,u\n0,0,1\n", "table.csv", 1, "evaluation.reference[0].file", "both a column and fixed");
}
