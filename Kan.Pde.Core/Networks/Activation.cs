using Kan.Pde.Core.Runtime;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// A scalar activation with its first two derivatives in closed form, so forward-mode derivatives need
/// no autograd. Every function here is smooth enough for second-order PDE residuals (no ReLU).
/// </summary>
public sealed class Activation
{
    private readonly Func<Tensor, int, Tensor[]> _eval;

    private Activation(string name, Func<Tensor, int, Tensor[]> eval)
    {
        Name = name;
        _eval = eval;
    }

    /// <summary>Name as written in specs.</summary>
    public string Name { get; }

    /// <summary>[f(z), f'(z), f''(z)] up to the requested order.</summary>
    public Tensor[] Evaluate(Tensor z, int order) => _eval(z, order);

    /// <summary>tanh: f' = 1 - f², f'' = -2 f f'.</summary>
    public static readonly Activation Tanh = new("tanh", (z, order) =>
    {
        var f = z.tanh();
        if (order == 0) return new[] { f };
        var d1 = ConstantTensors.Of(1, z) - f * f;   // a kept 1: the number would cost a negation and an addition
        return order == 1 ? new[] { f, d1 } : new[] { f, d1, -2 * f * d1 };
    });

    /// <summary>sin: the Fourier-feature-like activation used by SIREN-style PINNs.</summary>
    public static readonly Activation Sin = new("sin", (z, order) =>
    {
        var f = z.sin();
        if (order == 0) return new[] { f };
        var d1 = z.cos();
        return order == 1 ? new[] { f, d1 } : new[] { f, d1, -f };
    });

    /// <summary>silu(z) = z σ(z): f' = σ(1 + z(1-σ)), f'' = σ(1-σ)(2 + z(1-2σ)). KAN's base function.</summary>
    /// <remarks>
    /// Written for few operations (small problems on a GPU are bound by them): constants are kept tensors
    /// (<c>1 - s</c> with a number is two operations) and products with sums are fused (addcmul).
    /// </remarks>
    public static readonly Activation Silu = new("silu", (z, order) =>
    {
        var s = z.sigmoid();
        var f = z * s;
        if (order == 0) return new[] { f };
        var oneMinus = ConstantTensors.Of(1, z) - s;
        var d1 = s.addcmul(f, oneMinus, ConstantTensors.One);                       // σ + zσ(1-σ)
        if (order == 1) return new[] { f, d1 };
        var d2 = s * oneMinus * ConstantTensors.Of(2, z).addcmul(z, oneMinus - s, ConstantTensors.One);
        return new[] { f, d1, d2 };
    });

    /// <summary>softplus(z) = log(1 + e^z): f' = σ(z), f'' = σ(1-σ).</summary>
    public static readonly Activation Softplus = new("softplus", (z, order) =>
    {
        var f = nn.functional.softplus(z);
        if (order == 0) return new[] { f };
        var s = z.sigmoid();
        return order == 1 ? new[] { f, s } : new[] { f, s, s * (1 - s) };
    });

    /// <summary>gelu (exact, erf form): f' = Φ + zφ, f'' = φ(2 - z²).</summary>
    public static readonly Activation Gelu = new("gelu", (z, order) =>
    {
        var cdf = 0.5 * (1 + special.erf(z / Math.Sqrt(2)));
        var f = z * cdf;
        if (order == 0) return new[] { f };
        var pdf = (-0.5 * z * z).exp() / Math.Sqrt(2 * Math.PI);
        var d1 = cdf + z * pdf;
        return order == 1 ? new[] { f, d1 } : new[] { f, d1, pdf * (2 - z * z) };
    });

    /// <summary>Identity (for linear output layers).</summary>
    public static readonly Activation Identity = new("identity", (z, order) =>
        order == 0 ? new[] { z } : order == 1 ? new[] { z, ones_like(z) } : new[] { z, ones_like(z), zeros_like(z) });

    /// <summary>All activations a spec may name.</summary>
    public static IReadOnlyList<Activation> All { get; } = new[] { Tanh, Sin, Silu, Softplus, Gelu };

    /// <summary>Looks an activation up by name.</summary>
    public static Activation ByName(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"unknown activation '{name}' (known: {string.Join(", ", All.Select(a => a.Name))})");
}
