namespace Kan.Pde.Core.Geometry;

/// <summary>A shape whose whole boundary is one part with the given name (e.g. the notch cut out of an L shape).</summary>
public sealed class NamedRegion : Region
{
    private readonly IRegion _inner;

    /// <summary>Renames every boundary part of <paramref name="inner"/> to <paramref name="name"/>.</summary>
    public NamedRegion(IRegion inner, string name) : base(inner.Variables)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a boundary part name must not be empty");
        _inner = inner;
        BoundaryParts = new[] { name };
    }

    /// <inheritdoc />
    public override Box Bounds => _inner.Bounds;

    /// <inheritdoc />
    public override IReadOnlyList<string> BoundaryParts { get; }

    /// <inheritdoc />
    public override double BoundaryMeasure => _inner.BoundaryMeasure;

    /// <inheritdoc />
    public override double SignedDistance(ReadOnlySpan<double> point) => _inner.SignedDistance(point);

    /// <inheritdoc />
    public override bool TryBoundaryPoint(ReadOnlySpan<double> u, Span<double> point, Span<double> normal, out int part)
    {
        bool ok = _inner.TryBoundaryPoint(u, point, normal, out _);
        part = 0;
        return ok;
    }

    /// <inheritdoc />
    public override BoundarySample MeshBoundarySample(int pointsPerPart) => _inner.MeshBoundarySample(pointsPerPart).Where(_ => true, _ => 0);
}
