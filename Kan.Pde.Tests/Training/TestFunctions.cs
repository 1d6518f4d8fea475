using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Tests.Training;

/// <summary>Objectives with known minimizers, written as optimizer closures.</summary>
internal static class TestFunctions
{
    public static Parameter Parameter(params double[] values) =>
        new(torch.tensor(values, dtype: ScalarType.Float64));

    /// <summary>Moré–Garbow–Hillstrom extended Rosenbrock (pairs (x₂ᵢ, x₂ᵢ₊₁)); minimum 0 at all ones.</summary>
    public static Tensor Rosenbrock(Tensor x)
    {
        var pairs = x.reshape(-1, 2);
        var a = pairs.select(1, 0);
        var b = pairs.select(1, 1);
        return (100.0 * (b - a * a).pow(2) + (1.0 - a).pow(2)).sum();
    }

    /// <summary>Standard start (−1.2, 1, −1.2, 1, …).</summary>
    public static double[] RosenbrockStart(int n) =>
        Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray();

    /// <summary>A closure that zeroes the gradient, evaluates <paramref name="f"/> and back-propagates.</summary>
    public static Func<Tensor> Closure(Parameter x, Func<Tensor, Tensor> f) => () =>
    {
        x.grad?.zero_();
        var loss = f(x);
        loss.backward();
        return loss;
    };

    public static double Distance(Tensor x, double[] target)
    {
        using var t = torch.tensor(target, dtype: ScalarType.Float64);
        using var diff = x.detach() - t;
        using var norm = diff.norm();
        return norm.ToDouble();
    }
}
