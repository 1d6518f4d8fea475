namespace Kan.Pde.Runner.Spec;

/// <summary>Network architecture family.</summary>
public enum ModelType { Kan, Mlp }

/// <summary>
/// The network approximating the unknown fields. <see cref="Widths"/> lists layer sizes from input (the
/// domain dimension) to output (the problem's number of fields, or 1 per network with separate outputs).
/// Exactly one of <see cref="Kan"/> and <see cref="Mlp"/> is set, matching <see cref="Type"/>.
/// </summary>
public sealed record ModelSpec(ModelType Type, IReadOnlyList<int> Widths, KanSpec? Kan, MlpSpec? Mlp)
{
    /// <summary>0 for one network with all outputs; otherwise the number of one-output networks side by side.</summary>
    public int SeparateOutputs { get; init; }

    /// <summary>Map the domain's bounding box onto [-1, 1]^D before the network (default).</summary>
    public bool InputScaling { get; init; } = true;

    /// <summary>Hard boundary conditions u = g + d·N, or null.</summary>
    public HardBoundarySpec? HardBoundary { get; init; }
}

/// <summary>The output transform u_k = g_k + d·N_k: a distance-like <paramref name="Distance"/> and values per output (null = free).</summary>
public sealed record HardBoundarySpec(Kan.Pde.Core.Expressions.Expr Distance, IReadOnlyList<Kan.Pde.Core.Expressions.Expr?> Values);

/// <summary>
/// KAN options: B-splines of degree <paramref name="Order"/> on <paramref name="Grid"/> intervals spanning
/// [GridLo, GridHi]; <paramref name="GridEps"/> blends uniform (1) and sample-adaptive (0) grids on update;
/// <paramref name="BaseActivation"/> is the residual function b(x) added to each spline (silu).
/// </summary>
public sealed record KanSpec(int Grid, int Order, double GridLo, double GridHi, double GridEps, string BaseActivation);

/// <summary>MLP options: the hidden-layer activation (tanh, sin, silu, gelu or softplus).</summary>
public sealed record MlpSpec(string Activation);
