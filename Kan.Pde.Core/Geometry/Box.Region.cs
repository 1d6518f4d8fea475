namespace Kan.Pde.Core.Geometry;

/// <summary>The box as an <see cref="IRegion"/>, so that it takes part in set operations and sequence sampling.</summary>
public sealed partial class Box
{
    /// <inheritdoc />
    public double SignedDistance(ReadOnlySpan<double> point)
    {
        // Distance outside (Euclidean to the nearest face region) plus the (negative) depth inside.
        double outside = 0, inside = double.NegativeInfinity;
        for (int d = 0; d < Dimension; d++)
        {
            var a = Axes[d];
            double q = Math.Abs(point[d] - (a.Lo + a.Hi) / 2) - a.Length / 2;
            if (q > 0) outside += q * q;
            inside = Math.Max(inside, q);
        }
        return Math.Sqrt(outside) + Math.Min(inside, 0);
    }

    /// <inheritdoc />
    public int BoundaryParameters => Math.Max(1, Dimension - 1);

    /// <inheritdoc />
    public double BoundaryMeasure => Enumerable.Range(0, 2 * Dimension).Sum(FaceArea);

    /// <summary>
    /// The first parameter runs through the faces in order (x-min, x-max, y-min, …), each for a share equal to
    /// its area, and along the face's first free axis; the other parameters give the remaining free axes.
    /// </summary>
    public bool TryBoundaryPoint(ReadOnlySpan<double> u, Span<double> point, Span<double> normal, out int part)
    {
        if (Dimension == 1)
        {
            part = u[0] < 0.5 ? 0 : 1;
            point[0] = part == 0 ? Axes[0].Lo : Axes[0].Hi;
            normal[0] = part == 0 ? -1 : 1;
            return true;
        }
        double total = BoundaryMeasure, s = u[0] * total;
        int face = 0;
        while (face < 2 * Dimension - 1 && s >= FaceArea(face))
        {
            s -= FaceArea(face);
            face++;
        }
        double along = Math.Clamp(s / FaceArea(face), 0, 1);
        int fixedAxis = face / 2, next = 1;
        bool first = true;
        for (int d = 0; d < Dimension; d++)
        {
            normal[d] = 0;
            if (d == fixedAxis) continue;
            double t = first ? along : u[next++];
            first = false;
            point[d] = Axes[d].Lo + Axes[d].Length * t;
        }
        point[fixedAxis] = face % 2 == 0 ? Axes[fixedAxis].Lo : Axes[fixedAxis].Hi;
        normal[fixedAxis] = face % 2 == 0 ? -1 : 1;
        part = face;
        return true;
    }

    /// <inheritdoc />
    public BoundarySample MeshBoundarySample(int pointsPerPart) =>
        BoundarySample.From(MeshBoundary(pointsPerPart, TorchSharp.torch.ScalarType.Float64, TorchSharp.torch.CPU));

    /// <summary>Area of face f (2d: axis d at its low end, 2d+1: at its high end); 1 in 1-D.</summary>
    private double FaceArea(int face)
    {
        double area = 1;
        for (int e = 0; e < Dimension; e++) if (e != face / 2) area *= Axes[e].Length;
        return area;
    }
}
