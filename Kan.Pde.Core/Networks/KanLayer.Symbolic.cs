using Kan.Pde.Core.Symbolic;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

public sealed partial class KanLayer
{
    private SymbolicEdges? _symbolic;

    /// <summary>The layer's symbolic edges (none until an edge is fixed to a library function).</summary>
    public SymbolicEdges Symbolic => _symbolic ??= new SymbolicEdges(Inputs, Outputs, Coefficients.dtype, Coefficients.device);

    /// <summary>
    /// When true, the spline coefficients and both scales are left out of <see cref="Trainable"/>, so training moves only
    /// the symbolic edges' affine parameters.
    /// </summary>
    public bool SplinesFrozen { get; set; }

    /// <summary>
    /// Every edge's activation φ_ij(x_i) at the layer inputs <paramref name="x"/> [N, in], as [in, N, out]: the spline
    /// and base terms of spline edges, c·f(a·x + b) + d of symbolic edges, zero for masked (pruned) edges.
    /// Summing over the first dimension gives <see cref="forward"/>.
    /// </summary>
    public Tensor EdgeValues(Tensor x)
    {
        if (x.dim() != 2 || x.shape[1] != Inputs)
            throw new ArgumentException($"KAN layer expects [N, {Inputs}] inputs, got [{string.Join(", ", x.shape)}]");
        var xT = x.t().contiguous();
        var splineMask = Symbolic.SplineMask(Mask);
        var values = SplineValues(x) * (SplineWeight * splineMask).unsqueeze(1)
                     + BaseFunction.Evaluate(xT, 0)[0].unsqueeze(-1) * (BaseWeight * splineMask).unsqueeze(1);
        if (Symbolic.Terms(xT, 0, Mask) is { } symbolic) values = values + symbolic.select(2, 0);
        return values;
    }
}
