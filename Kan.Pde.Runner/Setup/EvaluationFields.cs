using Kan.Pde.Runner.Results;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Runner.Setup;

/// <summary>
/// Samples a trained run on its evaluation mesh: for every output field of the problem (in output order) the
/// prediction <c>NAME</c>, and with an exact solution the reference <c>NAME_exact</c> and the signed error
/// <c>NAME_error</c> = prediction − reference (for outputs fixed only up to a constant, after removing the mean
/// difference, as the metrics do). For a domain that is not a box the mesh covers its bounding box and nodes
/// outside the domain hold NaN.
/// </summary>
public static class EvaluationFields
{
    // The mesh may be large (up to the point budget); a forward pass per chunk bounds the temporaries.
    private const long ChunkPoints = 1 << 16;

    /// <summary>The fields of <paramref name="setup"/>'s network and problem on its evaluation mesh.</summary>
    public static MeshFields Sample(RunSetup setup)
    {
        var bounds = setup.Domain.Bounds.Axes;
        var counts = setup.Spec.Evaluation.Points;
        var axes = bounds.Select((a, d) => new MeshAxis(setup.Domain.Variables[d], Linspace(a.Lo, a.Hi, counts[d]))).ToArray();
        var names = setup.Problem.OutputNames;
        bool masked = setup.Domain is not Core.Geometry.Box;
        var points = masked ? setup.Domain.Bounds.Mesh(counts, setup.Spec.DType, setup.Device) : setup.EvaluationPoints;
        bool[]? inside = masked ? setup.Domain.Contains(points).cpu().data<bool>().ToArray() : null;
        var prediction = Evaluate(points, setup.Network.Forward);
        var exact = setup.Problem.Exact is { } e ? Evaluate(points, e.Value) : null;

        int m = names.Count;
        long n = points.shape[0];
        var fields = new List<NamedField>();
        for (int k = 0; k < m; k++)
        {
            var u = Column(prediction, k, m, n, inside);
            fields.Add(new NamedField(names[k], u));
            if (exact is null) continue;
            var reference = Column(exact, k, m, n, inside);
            var error = new double[n];
            for (long p = 0; p < n; p++) error[p] = u[p] - reference[p];
            if (setup.Problem.OutputsUpToConstant.Contains(k))
            {
                double mean = error.Where(double.IsFinite).DefaultIfEmpty(0).Average();
                for (long p = 0; p < n; p++) error[p] -= mean;
            }
            fields.Add(new NamedField(names[k] + "_exact", reference));
            fields.Add(new NamedField(names[k] + "_error", error));
        }
        return new MeshFields(axes, fields) { Masked = masked };
    }

    private static double[] Evaluate(Tensor points, Func<Tensor, Tensor> function)
    {
        using var noGrad = no_grad();
        long n = points.shape[0];
        var parts = new List<double>();
        for (long start = 0; start < n; start += ChunkPoints)
        {
            using var scope = NewDisposeScope();
            var values = function(points.narrow(0, start, Math.Min(ChunkPoints, n - start)));
            parts.AddRange(values.to(ScalarType.Float64, CPU).contiguous().data<double>().ToArray());
        }
        return parts.ToArray();
    }

    private static double[] Column(double[] rows, int k, int m, long n, bool[]? inside)
    {
        var column = new double[n];
        for (long p = 0; p < n; p++) column[p] = inside is null || inside[p] ? rows[p * m + k] : double.NaN;
        return column;
    }

    // The same linspace the mesh was built with (Box.Mesh), so coordinates match the evaluated points.
    private static double[] Linspace(double lo, double hi, int count)
    {
        using var line = linspace(lo, hi, count, dtype: ScalarType.Float64);
        return line.data<double>().ToArray();
    }
}
