using System.Globalization;
using Kan.Pde.Runner.Commands;
using Kan.Pde.Runner.Results;
using Kan.Pde.Tests.Runner;
using NUnit.Framework;

namespace Kan.Pde.Tests.Results;

/// <summary>
/// fields.vtk, fields.csv and report.html: read back with an independent strict reader of the legacy VTK format
/// (header, dataset type, dimensions, coordinate and value counts, every value at its place) and compared bit for
/// bit with what was written.
/// </summary>
public class FieldOutputTests
{
    private static double F(double x, double y, double z) => x + 10 * y + 100 * z + Math.PI * 1e-9;

    /// <summary>A mesh with uneven axis lengths and a field whose value tells where it was sampled.</summary>
    private static MeshFields Synthetic(params int[] sizes)
    {
        string[] names = { "x", "y", "z", "t" };
        var axes = sizes.Select((n, d) => new MeshAxis(names[d], Enumerable.Range(0, n).Select(i => -1 + 2.0 * i / 3 + d).ToArray())).ToArray();
        long count = sizes.Aggregate(1L, (p, n) => p * n);
        var f = new double[count];
        var g = new double[count];
        for (long p = 0; p < count; p++)
        {
            // Mesh order: first axis slowest.
            var c = new double[4];
            long rest = p;
            for (int d = sizes.Length - 1; d >= 0; d--)
            {
                c[d] = axes[d].Coordinates[rest % sizes[d]];
                rest /= sizes[d];
            }
            f[p] = F(c[0], c[1], c[2]) + 1000 * c[3];
            g[p] = -f[p] / 7;
        }
        return new MeshFields(axes, new[] { new NamedField("u", f), new NamedField("u_error", g) });
    }

    /// <summary>The parts of a legacy VTK rectilinear grid, read strictly.</summary>
    private sealed record Vtk(string Title, int[] Dimensions, double[][] Coordinates, long Points, Dictionary<string, double[]> Scalars);

    private static Vtk ReadVtk(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.That(lines[0], Is.EqualTo("# vtk DataFile Version 3.0"));
        Assert.That(lines[1].Length, Is.LessThanOrEqualTo(256));
        Assert.That(lines[2], Is.EqualTo("ASCII"));
        Assert.That(lines[3], Is.EqualTo("DATASET RECTILINEAR_GRID"));
        var tokens = new Queue<string>(lines.Skip(4).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        string Next() => tokens.Dequeue();
        double Number() => double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.That(Next(), Is.EqualTo("DIMENSIONS"));
        var dims = new[] { int.Parse(Next()), int.Parse(Next()), int.Parse(Next()) };
        var coords = new double[3][];
        string[] labels = { "X_COORDINATES", "Y_COORDINATES", "Z_COORDINATES" };
        for (int d = 0; d < 3; d++)
        {
            Assert.That(Next(), Is.EqualTo(labels[d]));
            Assert.That(int.Parse(Next()), Is.EqualTo(dims[d]));
            Assert.That(Next(), Is.EqualTo("double"));
            coords[d] = Enumerable.Range(0, dims[d]).Select(_ => Number()).ToArray();
        }
        Assert.That(Next(), Is.EqualTo("POINT_DATA"));
        long n = long.Parse(Next());
        Assert.That(n, Is.EqualTo((long)dims[0] * dims[1] * dims[2]));
        // The first field as SCALARS, the others in one FIELD block.
        var scalars = new Dictionary<string, double[]>();
        Assert.That(Next(), Is.EqualTo("SCALARS"));
        string first = Next();
        Assert.That((Next(), Next()), Is.EqualTo(("double", "1")));
        Assert.That((Next(), Next()), Is.EqualTo(("LOOKUP_TABLE", "default")));
        scalars[first] = Enumerable.Range(0, (int)n).Select(_ => Number()).ToArray();
        if (tokens.Count > 0)
        {
            Assert.That(Next(), Is.EqualTo("FIELD"));
            Next();
            int arrays = int.Parse(Next());
            for (int a = 0; a < arrays; a++)
            {
                string name = Next();
                Assert.That((Next(), long.Parse(Next()), Next()), Is.EqualTo(("1", n, "double")));
                scalars[name] = Enumerable.Range(0, (int)n).Select(_ => Number()).ToArray();
            }
            Assert.That(tokens, Is.Empty);
        }
        return new Vtk(lines[1], dims, coords, n, scalars);
    }

    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "kan-pde-fields-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(new[] { 7 })]
    [TestCase(new[] { 5, 3 })]
    [TestCase(new[] { 4, 3, 2 })]
    public void VtkRoundTripsEveryValueAtItsNode(int[] sizes)
    {
        var fields = Synthetic(sizes);
        string path = Path.Combine(_dir, VtkFile.FileName);
        VtkFile.Write(path, fields, "kan-pde test");
        var vtk = ReadVtk(path);
        var expectedDims = Enumerable.Range(0, 3).Select(d => d < sizes.Length ? sizes[d] : 1).ToArray();
        Assert.That(vtk.Dimensions, Is.EqualTo(expectedDims));
        Assert.That(vtk.Title, Does.StartWith("kan-pde test (axes x"));
        for (int d = 0; d < sizes.Length; d++) Assert.That(vtk.Coordinates[d], Is.EqualTo(fields.Axes[d].Coordinates));
        Assert.That(vtk.Scalars.Keys, Is.EqualTo(new[] { "u", "u_error" }));
        // VTK runs x fastest: point (i, j, k) is i + nx·(j + ny·k), and its value must be F at its coordinates.
        var (nx, ny, nz) = (expectedDims[0], expectedDims[1], expectedDims[2]);
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    long p = i + (long)nx * (j + (long)ny * k);
                    double expected = F(vtk.Coordinates[0][i], sizes.Length > 1 ? vtk.Coordinates[1][j] : 0, sizes.Length > 2 ? vtk.Coordinates[2][k] : 0);
                    Assert.That(vtk.Scalars["u"][p], Is.EqualTo(expected), $"node ({i}, {j}, {k})");
                    Assert.That(vtk.Scalars["u_error"][p], Is.EqualTo(-expected / 7));
                }
    }

    [Test]
    public void CsvRoundTripsCoordinatesAndValues()
    {
        var fields = Synthetic(4, 3, 2);
        string text = FieldsCsv.Format(fields);
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows[0], Is.EqualTo("x,y,z,u,u_error"));
        Assert.That(rows, Has.Length.EqualTo(1 + 24));
        for (int p = 0; p < 24; p++)
        {
            var v = rows[1 + p].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.That(v[3], Is.EqualTo(F(v[0], v[1], v[2])));
            Assert.That(v[3], Is.EqualTo(fields.Fields[0].Values[p]));
            Assert.That(v[4], Is.EqualTo(fields.Fields[1].Values[p]));
        }
    }

    [Test]
    public void FourAxisMeshesGoToCsvOnly()
    {
        var fields = Synthetic(2, 2, 2, 3);
        Assert.That(VtkFile.CanWrite(fields), Is.False);
        var record = SyntheticRun.Create() with { Fields = fields, Prediction = null, Exact = null };
        string dir = ResultsWriter.WriteAll(Path.Combine(_dir, "run"), record);
        Assert.That(File.Exists(Path.Combine(dir, VtkFile.FileName)), Is.False);
        Assert.That(File.ReadAllLines(Path.Combine(dir, FieldsCsv.FileName))[0], Is.EqualTo("x,y,z,t,u,u_error"));
    }

    [Test]
    public void InconsistentFieldsAreRefusedBeforeAnythingIsWritten()
    {
        var bad = new MeshFields(new[] { new MeshAxis("x", new[] { 0.0, 1.0 }) }, new[] { new NamedField("u", new[] { 1.0, 2.0, 3.0 }) });
        var record = SyntheticRun.Create() with { Fields = bad };
        Assert.Throws<ArgumentException>(() => ResultsWriter.WriteAll(Path.Combine(_dir, "run"), record));
        Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty);
    }

    [Test]
    public void ReportShowsMetricsFiguresAndSpec()
    {
        var record = SyntheticRun.Create() with { Fields = Synthetic(5, 3), SpecText = "name: synthetic-run\n# <b>not markup</b>\n" };
        string dir = ResultsWriter.WriteAll(Path.Combine(_dir, "run"), record);
        string html = File.ReadAllText(Path.Combine(dir, RunReport.FileName));
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.StartWith("<!DOCTYPE html>").And.EndWith("</html>\n"));
            Assert.That(html, Does.Contain(record.Metrics.RelativeL2.ToString("E3", CultureInfo.InvariantCulture)));
            foreach (var png in Directory.GetFiles(dir, "*.png").Select(Path.GetFileName))
                Assert.That(html, Does.Contain($"<img src=\"{png}\""));
            foreach (var file in Directory.GetFiles(dir).Select(Path.GetFileName))
                Assert.That(html, Does.Contain($"<a href=\"{file}\">"), file);
            Assert.That(html, Does.Contain("&lt;b&gt;not markup&lt;/b&gt;"), "spec text is escaped");
            Assert.That(File.ReadAllText(Path.Combine(dir, ResultsWriter.SpecCopyFile)), Is.EqualTo(record.SpecText));
        });
    }

    [Test]
    public void ASolveIn3DWritesEveryFieldOnTheEvaluationMesh()
    {
        using var box = new RunnerSandbox();
        string spec = box.WriteSpec("""
            name: fields-3d
            problem:
              family: poisson
              domain: {x: [-1, 1], y: [-1, 1], z: [0, 1]}
              exact: sin(pi*x)*sin(pi*y)*sin(pi*z)
              boundary:
                - on: all
            model: {type: kan, widths: [3, 2, 1], grid: 3}
            collocation:
              interior: {sampler: mesh, points: 5}
              boundary: {sampler: mesh, points: 4}
            schedule:
              - {optimizer: lbfgs, steps: 2}
            evaluation: {points: [5, 4, 3]}
            threads: 1
            """);
        var r = box.Run("solve", spec, "--output", box.OutputDir, "--quiet");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Success), r.Error);
        var vtk = ReadVtk(Path.Combine(box.OutputDir, VtkFile.FileName));
        Assert.That(vtk.Dimensions, Is.EqualTo(new[] { 5, 4, 3 }));
        Assert.That(vtk.Coordinates[2], Is.EqualTo(new[] { 0, 0.5, 1 }));
        Assert.That(vtk.Scalars.Keys, Is.EqualTo(new[] { "u", "u_exact", "u_error" }));
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 4; j++)
                for (int i = 0; i < 5; i++)
                {
                    long p = i + 5 * (j + 4 * k);
                    double exact = Math.Sin(Math.PI * vtk.Coordinates[0][i]) * Math.Sin(Math.PI * vtk.Coordinates[1][j]) * Math.Sin(Math.PI * vtk.Coordinates[2][k]);
                    Assert.That(vtk.Scalars["u_exact"][p], Is.EqualTo(exact).Within(1e-15));
                    Assert.That(vtk.Scalars["u_error"][p], Is.EqualTo(vtk.Scalars["u"][p] - vtk.Scalars["u_exact"][p]));
                }
        // The error field agrees with the metrics computed independently in Core.
        var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(box.OutputDir, ResultsWriter.MetricsFile))).RootElement;
        Assert.That(vtk.Scalars["u_error"].Max(Math.Abs), Is.EqualTo(metrics.GetProperty("maxAbsError").GetDouble()).Within(1e-14));
        var csv = File.ReadAllLines(Path.Combine(box.OutputDir, FieldsCsv.FileName));
        Assert.That(csv[0], Is.EqualTo("x,y,z,u,u_exact,u_error"));
        Assert.That(csv, Has.Length.EqualTo(1 + 60));
        string html = File.ReadAllText(Path.Combine(box.OutputDir, RunReport.FileName));
        Assert.That(html, Does.Contain("fields-3d").And.Contain("<img src=\"convergence.png\""));
    }
}
