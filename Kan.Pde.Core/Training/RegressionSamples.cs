using Kan.Pde.Core.Expressions;
using Kan.Pde.Core.Geometry;
using Kan.Pde.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training;

/// <summary>
/// Labelled samples of a known function on a box: inputs [N, D] drawn uniformly and targets [N, 1] = f(inputs).
/// The held-out error of a fit is measured on a second, independently drawn set.
/// </summary>
public sealed class RegressionSamples : IDisposable
{
    private RegressionSamples(Tensor inputs, Tensor targets)
    {
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>The sample points [N, D].</summary>
    public Tensor Inputs { get; }

    /// <summary>The function's values there [N, 1].</summary>
    public Tensor Targets { get; }

    /// <summary>Number of samples.</summary>
    public long Count => Inputs.shape[0];

    /// <summary>
    /// Draws <paramref name="count"/> points uniformly in <paramref name="box"/> (one interval per variable of
    /// <paramref name="function"/>, in its variable order) from the generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static RegressionSamples Draw(Expr function, IReadOnlyList<(double Lo, double Hi)> box, int count, int seed,
        ScalarType dtype = ScalarType.Float64)
    {
        if (box.Count != function.Variables.Count)
            throw new ArgumentException($"the box has {box.Count} intervals, the function {function.Variables.Count} variables");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "at least one sample is needed");
        var region = new Box(box.Select((b, d) => new Interval(function.Variables[d], b.Lo, b.Hi)).ToArray());
        using var scope = NewDisposeScope();
        var inputs = region.RandomInterior(count, ScalarType.Float64, CPU, new Generator((ulong)seed)).to(dtype);
        var targets = function.Evaluate(inputs).unsqueeze(1);
        return new RegressionSamples(inputs.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope());
    }

    /// <summary>The squared errors (f̂(x) − f(x))² of <paramref name="network"/> at the samples, [N] on the host.</summary>
    public double[] SquaredErrors(INetwork network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var residual = network.Forward(Inputs) - Targets;
        return (residual * residual).reshape(-1).to(ScalarType.Float64, CPU).data<double>().ToArray();
    }

    /// <summary>Root of the mean squared error of <paramref name="network"/> at the samples.</summary>
    public double Rmse(INetwork network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return SupervisedLosses.MeanSquare(network.Forward(Inputs) - Targets).sqrt().ToDouble();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
