using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Sampling;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Geometry;

/// <summary>Shapes and set operations: interior and boundary sampling, part names and outward normals.</summary>
public class RegionTests
{
    private static readonly string[] Xy = { "x", "y" };

    /// <summary>[-1, 1]² without the quadrant [0, 1]², its notch named "notch".</summary>
    public static IRegion LShape() => new Difference(new IRegion[]
    {
        new Box(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) }),
        new NamedRegion(new Box(new[] { new Interval("x", 0, 1), new Interval("y", 0, 1) }), "notch"),
    });

    public static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(new Box(new[] { new Interval("x", -1, 2), new Interval("y", 0, 1) }), 3.0).SetName("box");
        yield return new TestCaseData(new Ball(Xy, new[] { 0.5, -0.25 }, 0.75), Math.PI * 0.75 * 0.75).SetName("disk");
        yield return new TestCaseData(LShape(), 3.0).SetName("L shape (difference)");
        yield return new TestCaseData(new Polygon(Xy, new[] { (-1.0, -1.0), (1.0, -1.0), (1.0, 0.0), (0.0, 0.0), (0.0, 1.0), (-1.0, 1.0) }), 3.0)
            .SetName("L shape (polygon)");
        yield return new TestCaseData(new Union(new IRegion[]
        {
            new NamedRegion(new Ball(Xy, new[] { 0.0, 0.0 }, 1), "left"),
            new NamedRegion(new Ball(Xy, new[] { 1.0, 0.0 }, 1), "right"),
        }), 2 * Math.PI - (2 * Math.PI / 3 - Math.Sqrt(3) / 2)).SetName("union of two disks");  // two unit disks minus their lens
        yield return new TestCaseData(new Intersection(new IRegion[]
        {
            new Box(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) }),
            new NamedRegion(new Ball(Xy, new[] { 1.0, 1.0 }, 1), "arc"),
        }), Math.PI / 4).SetName("box ∩ disk");
    }

    [TestCaseSource(nameof(Shapes))]
    public void EverySamplerPutsInteriorPointsInsideAndCoversTheShape(IRegion region, double area)
    {
        foreach (var kind in new[] { SamplerKind.Random, SamplerKind.LatinHypercube, SamplerKind.Halton, SamplerKind.Sobol })
        {
            var sampler = new CollocationSampler(region, new PointPlacement(kind, 4000), new PointPlacement(SamplerKind.Sobol, 100), seed: 3);
            var x = sampler.Next(ScalarType.Float64, CPU).Interior.data<double>().ToArray();
            double tol = RegionGeometry.Tolerance(region);
            for (int i = 0; i < x.Length / 2; i++) Assert.That(region.SignedDistance(x.AsSpan(2 * i, 2)), Is.LessThanOrEqualTo(tol), kind.ToString());
            // Coverage: every cell of a 10×10 grid over the bounding box that lies well inside holds its share of points.
            var box = region.Bounds.Axes;
            double cx = box[0].Length / 10, cy = box[1].Length / 10, cellShare = cx * cy / area * 4000;
            for (int i = 0; i < 10; i++)
                for (int j = 0; j < 10; j++)
                {
                    double[] centre = { box[0].Lo + (i + 0.5) * cx, box[1].Lo + (j + 0.5) * cy };
                    if (region.SignedDistance(centre) > -Math.Sqrt(cx * cx + cy * cy)) continue;
                    int count = Enumerable.Range(0, x.Length / 2).Count(n =>
                        Math.Abs(x[2 * n] - centre[0]) < cx / 2 && Math.Abs(x[2 * n + 1] - centre[1]) < cy / 2);
                    // Random counts scatter by about √share; the sequences stay far closer.
                    Assert.That(count, Is.InRange(cellShare - 5 * Math.Sqrt(cellShare), cellShare + 5 * Math.Sqrt(cellShare)), $"{kind}: cell ({i}, {j})");
                }
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void BoundaryPointsLieOnTheBoundaryWithOutwardUnitNormals(IRegion region, double area)
    {
        var sample = RegionGeometry.Boundary(region, new SobolSequence(region.BoundaryParameters), 2000);
        var mesh = region.MeshBoundarySample(20);
        foreach (var s in new[] { sample, mesh })
        {
            Assert.That(s.Count, Is.GreaterThan(10));
            double scale = region.Bounds.Axes.Max(a => a.Length), h = 1e-4 * scale;
            for (int i = 0; i < s.Count; i++)
            {
                var p = s.Points.AsSpan(2 * i, 2).ToArray();
                var n = s.Normals.AsSpan(2 * i, 2).ToArray();
                Assert.That(Math.Abs(region.SignedDistance(p)), Is.LessThan(1e-9 * scale), $"point ({p[0]}, {p[1]})");
                Assert.That(n[0] * n[0] + n[1] * n[1], Is.EqualTo(1).Within(1e-12));
                // Stepping along the normal leaves the region, stepping against it enters (away from corners).
                double outward = region.SignedDistance(new[] { p[0] + h * n[0], p[1] + h * n[1] });
                double inward = region.SignedDistance(new[] { p[0] - h * n[0], p[1] - h * n[1] });
                bool nearCorner = Math.Abs(outward) < 0.5 * h || Math.Abs(inward) < 0.5 * h;
                if (!nearCorner)
                {
                    Assert.That(outward, Is.GreaterThan(0), $"outside along the normal at ({p[0]}, {p[1]})");
                    Assert.That(inward, Is.LessThan(0), $"inside against the normal at ({p[0]}, {p[1]})");
                }
                Assert.That(s.Parts[i], Is.InRange(0, region.BoundaryParts.Count - 1));
            }
        }
    }

    [Test]
    public void TheLShapeHasItsOuterFacesAndTheNotchAsParts()
    {
        var l = LShape();
        Assert.That(l.BoundaryParts, Is.EqualTo(new[] { "x-min", "x-max", "y-min", "y-max", "notch" }));
        var s = RegionGeometry.Boundary(l, new SobolSequence(1), 4000);
        // Uniform by length: the notch is 2 of the 8 units of perimeter, the outer x-max face 1 unit (y from -1 to 0).
        double Share(string part) => s.Parts.Count(p => l.BoundaryParts[p] == part) / (double)s.Count;
        Assert.That(Share("notch"), Is.EqualTo(0.25).Within(0.01));
        Assert.That(Share("x-max"), Is.EqualTo(0.125).Within(0.01));
        Assert.That(Share("x-min"), Is.EqualTo(0.25).Within(0.01));
        for (int i = 0; i < s.Count; i++)
        {
            double x = s.Points[2 * i], y = s.Points[2 * i + 1], nx = s.Normals[2 * i], ny = s.Normals[2 * i + 1];
            switch (l.BoundaryParts[s.Parts[i]])
            {
                case "notch" when x == 0:
                    Assert.That((nx, ny), Is.EqualTo((1.0, 0.0)), "the notch's vertical edge faces +x (into the cut-out)");
                    Assert.That(y, Is.InRange(0.0, 1.0));
                    break;
                case "notch":
                    Assert.That((nx, ny), Is.EqualTo((0.0, 1.0)));
                    Assert.That(x, Is.InRange(0.0, 1.0));
                    break;
                case "x-max":
                    Assert.That(y, Is.LessThanOrEqualTo(0));
                    break;
            }
        }
    }

    [Test]
    public void APolygonsNormalsPointOutwardInEitherOrientation()
    {
        var ccw = new Polygon(Xy, new[] { (0.0, 0.0), (2.0, 0.0), (0.0, 1.0) });
        var cw = new Polygon(Xy, new[] { (0.0, 0.0), (0.0, 1.0), (2.0, 0.0) });
        var u = new double[] { 0.1 };
        var p = new double[2];
        var n = new double[2];
        ccw.TryBoundaryPoint(u, p, n, out int part);
        Assert.That((part, n[0], n[1]), Is.EqualTo((0, 0.0, -1.0)), "first edge along y = 0 faces −y");
        cw.TryBoundaryPoint(u, p, n, out part);
        Assert.That((part, n[0], n[1]), Is.EqualTo((0, -1.0, 0.0)), "first edge along x = 0 faces −x");
        Assert.Throws<ArgumentException>(() => new Polygon(Xy, new[] { (0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0) }), "self-crossing");
    }

    [Test]
    public void DuplicatePartNamesInASetOperationAreRefused()
    {
        var box = new Box(new[] { new Interval("x", -1, 1), new Interval("y", -1, 1) });
        var inner = new Box(new[] { new Interval("x", 0, 1), new Interval("y", 0, 1) });
        var e = Assert.Throws<ArgumentException>(() => new Difference(new IRegion[] { box, inner }))!;
        Assert.That(e.Message, Does.Contain("x-min"));
    }

    [Test]
    public void ResamplingGivesNewPointsAndTheSameSeedTheSameDraws()
    {
        var l = LShape();
        foreach (var kind in new[] { SamplerKind.Random, SamplerKind.LatinHypercube, SamplerKind.Halton, SamplerKind.Sobol })
        {
            var a = new CollocationSampler(l, new PointPlacement(kind, 300), new PointPlacement(kind, 40), seed: 1);
            var b = new CollocationSampler(l, new PointPlacement(kind, 300), new PointPlacement(kind, 40), seed: 1);
            var first = a.Next(ScalarType.Float64, CPU);
            var second = a.Next(ScalarType.Float64, CPU);
            Assert.That(first.Interior.allclose(second.Interior, 0, 0), Is.False, $"{kind}: interior changed");
            Assert.That(first.Boundary.allclose(second.Boundary, 0, 0), Is.False, $"{kind}: boundary changed");
            // Fresh points are not a reshuffle of the old ones: few (for sequences none) coincide.
            var old = first.Interior.data<double>().ToArray();
            var fresh = second.Interior.data<double>().ToArray();
            var oldSet = Enumerable.Range(0, 300).Select(i => (old[2 * i], old[2 * i + 1])).ToHashSet();
            Assert.That(Enumerable.Range(0, 300).Count(i => oldSet.Contains((fresh[2 * i], fresh[2 * i + 1]))), Is.Zero, kind.ToString());
            Assert.That(b.Next(ScalarType.Float64, CPU).Interior.allclose(first.Interior, 0, 0), Is.True, $"{kind}: reproducible");
        }
        var mesh = new CollocationSampler(l, new PointPlacement(SamplerKind.Mesh, 0, new[] { 11, 11 }), new PointPlacement(SamplerKind.Mesh, 0, new[] { 5 }), 0);
        Assert.That(mesh.Changes, Is.False);
        Assert.That(mesh.Next(ScalarType.Float64, CPU).Interior.shape[0], Is.EqualTo(121 - 25 + 9), "mesh nodes of the L (notch nodes off, its edges kept)");
    }
}
