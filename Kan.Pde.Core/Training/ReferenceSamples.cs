using Kan.Pde.Core.Networks;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Reference values of a problem's outputs at some points, for problems whose benchmark is data rather than an exact
/// solution (e.g. a published centreline profile of a cavity flow). Outputs without data at a point hold NaN.
/// </summary>
/// <param name="Name">Name of the set in reports, e.g. "ghia1982-u".</param>
/// <param name="Points">Sample points [N, D].</param>
/// <param name="Values">Reference values [N, m], NaN where absent.</param>
public sealed record ReferenceSamples(string Name, Tensor Points, Tensor Values)
{
    /// <summary>Errors of <paramref name="network"/> on this set, one entry per output that has data.</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="outputNames">Names of the outputs, in order.</param>
    /// <param name="upToConstant">Outputs fixed only up to a constant: the mean difference over the set is removed first.</param>
    public IReadOnlyList<ReferenceError> Compare(INetwork network, IReadOnlyList<string> outputNames, IReadOnlyCollection<int>? upToConstant = null)
    {
        if (Points.dim() != 2 || Points.shape[1] != network.InputDimension)
            throw new ArgumentException($"reference set '{Name}': points must be [N, {network.InputDimension}], got [{string.Join(", ", Points.shape)}]");
        if (Values.dim() != 2 || Values.shape[0] != Points.shape[0] || Values.shape[1] != network.OutputDimension)
            throw new ArgumentException($"reference set '{Name}': values must be [{Points.shape[0]}, {network.OutputDimension}], got [{string.Join(", ", Values.shape)}]");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predicted = network.Forward(Points).to(ScalarType.Float64, CPU);
        var reference = Values.to(ScalarType.Float64, CPU);
        var errors = new List<ReferenceError>();
        for (int k = 0; k < network.OutputDimension; k++)
        {
            var present = reference.select(1, k).isnan().logical_not();
            long count = present.sum().item<long>();
            if (count == 0) continue;
            var diff = predicted.select(1, k).masked_select(present) - reference.select(1, k).masked_select(present);
            bool gauge = upToConstant?.Contains(k) == true;
            if (gauge) diff = diff - diff.mean();
            errors.Add(new ReferenceError(Name, outputNames[k], (int)count, diff.abs().max().item<double>(),
                Math.Sqrt(diff.square().mean().item<double>()), gauge));
        }
        return errors;
    }
}

/// <summary>Error of one output on one reference set.</summary>
/// <param name="Set">Reference set name.</param>
/// <param name="Output">Output name, e.g. "u".</param>
/// <param name="Count">Points with a reference value for this output.</param>
/// <param name="MaxAbsError">max |prediction − reference| over those points.</param>
/// <param name="RmsError">Root mean square of the difference.</param>
/// <param name="UpToConstant">True when the mean difference was removed first (a gauge output such as pressure).</param>
public sealed record ReferenceError(string Set, string Output, int Count, double MaxAbsError, double RmsError, bool UpToConstant);
