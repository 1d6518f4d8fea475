using Kan.Pde.Core.Splines;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// One KAN layer (pykan semantics): edge i→j carries φ_ij(x) = w_b,ij·silu(x) + w_s,ij·Σ_m c_ij,m B_m(x),
/// masked by mask_ij; node j sums its incoming edges. All edges are evaluated at once: the basis of every
/// input is built densely as [in, N, G+k] and contracted with the coefficients [in, G+k, out] in one
/// batched matmul.
/// </summary>
public sealed partial class KanLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Spline coefficients c [in, G+k, out].</summary>
    public Parameter Coefficients;

    /// <summary>Base (silu) scale w_b [in, out].</summary>
    public Parameter BaseWeight;

    /// <summary>Spline scale w_s [in, out].</summary>
    public Parameter SplineWeight;

    /// <summary>Edge mask [in, out] (1 = edge present); not trained.</summary>
    public Tensor Mask;

    private BSplineBasis _basis;

    /// <summary>Creates a layer with uniform knots on <paramref name="gridRange"/> and pykan's initialization.</summary>
    public KanLayer(int inputs, int outputs, int gridSize, int order, (double Lo, double Hi) gridRange,
        double gridEps = 0.02, double noiseScale = 0.3, Activation? baseFunction = null,
        ScalarType dtype = ScalarType.Float64, Device? device = null, Generator? generator = null)
        : base($"KanLayer({inputs}->{outputs})")
    {
        if (inputs < 1 || outputs < 1) throw new ArgumentException("layer widths must be positive");
        if (gridSize < 1) throw new ArgumentException("grid size must be at least 1");
        if (order < 1 || order > 5) throw new ArgumentException("spline order must be 1..5");
        device ??= CPU;
        Inputs = inputs;
        Outputs = outputs;
        GridEps = gridEps;
        BaseFunction = baseFunction ?? Activation.Silu;
        var grid = KnotGrid.Uniform(inputs, gridSize, order, gridRange.Lo, gridRange.Hi);
        _basis = new BSplineBasis(grid, dtype, device);
        int n = grid.BasisCount;
        // Small random splines (pykan: noise of scale 0.3/G), random base scales U(-1,1)/√in, w_s = 1/√in.
        Coefficients = new Parameter((rand(new long[] { inputs, n, outputs }, dtype, device, generator: generator) - 0.5) * (noiseScale / gridSize));
        BaseWeight = new Parameter((rand(new long[] { inputs, outputs }, dtype, device, generator: generator) * 2 - 1) / Math.Sqrt(inputs));
        SplineWeight = new Parameter(ones(new long[] { inputs, outputs }, dtype, device) / Math.Sqrt(inputs));
        Mask = ones(new long[] { inputs, outputs }, dtype, device);
        RegisterComponents();
    }

    /// <summary>Input nodes.</summary>
    public int Inputs { get; }

    /// <summary>Output nodes.</summary>
    public int Outputs { get; }

    /// <summary>Mix of uniform and sample-quantile knots in adaptive updates (1 = uniform).</summary>
    public double GridEps { get; set; }

    /// <summary>The residual base function (silu by default).</summary>
    public Activation BaseFunction { get; }

    /// <summary>The current knots.</summary>
    public KnotGrid Grid => _basis.Grid;

    /// <summary>Trainable scalars: in·out·(G+k) coefficients + 2·in·out scales (unless frozen) + 4 per symbolic edge.</summary>
    public long ParameterCount => (SplinesFrozen ? 0 : (long)Inputs * Outputs * (Grid.BasisCount + 2)) + 4L * Symbolic.Count;

    /// <summary>The layer's trainable tensors: the spline tensors unless frozen, and the symbolic edges' (a, b, c, d) when there are any.</summary>
    public IReadOnlyList<Parameter> Trainable => (SplinesFrozen ? Array.Empty<Parameter>() : new[] { Coefficients, BaseWeight, SplineWeight })
        .Concat(Symbolic.Any ? new[] { Symbolic.Affine } : Array.Empty<Parameter>()).ToArray();

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => Propagate(new Jet(x, null, null) { Order = 0 }).Value;

    /// <summary>Forward mode through the layer: values, ∂/∂x_d and ∂²/∂x_d² of every output node.</summary>
    public Jet Propagate(Jet input)
    {
        int order = input.Order;
        var x = input.Value;
        if (x.dim() != 2 || x.shape[1] != Inputs)
            throw new ArgumentException($"KAN layer expects [N, {Inputs}] inputs, got [{string.Join(", ", x.shape)}]");
        long N = x.shape[0];
        var xT = x.t().contiguous();                                        // [in, N]
        var splineMask = Symbolic.SplineMask(Mask);                         // symbolic edges drop their spline
        var coef = Coefficients * (SplineWeight * splineMask).unsqueeze(1); // [in, G+k, out]
        var phi = SplineTerms(xT, coef, order);                             // [in, N, o+1, out]
        var baseTerms = stack(BaseFunction.Evaluate(xT, order), -1);       // [in, N, o+1]
        phi = phi + baseTerms.unsqueeze(-1) * (BaseWeight * splineMask).view(Inputs, 1, 1, Outputs);
        if (Symbolic.Terms(xT, order, Mask) is { } symbolic) phi = phi + symbolic;
        var value = phi.select(2, 0).sum(dim: 0);                                // [N, out]
        if (order == 0) return new Jet(value, null, null) { Order = 0 };

        var phi1 = phi.select(2, 1).permute(1, 0, 2);                       // [N, in, out]  φ'
        var gradient = input.IsInput ? phi1 : bmm(input.Gradient!, phi1);   // [N, D, out]
        if (order == 1) return new Jet(value, gradient, null) { Order = 1 };

        var phi2 = phi.select(2, 2).permute(1, 0, 2);                       // φ''
        var second = input.IsInput
            ? phi2
            : bmm(input.Gradient!.square(), phi2) + bmm(input.Second!, phi1);
        return new Jet(value, gradient, second) { Order = 2 };
    }

    /// <summary>
    /// Σ_m c_ij,m B_m^(d)(x_i) for every edge and derivative order d ≤ <paramref name="order"/>, as
    /// [in, N, order+1, out]. Two equivalent contractions: gather the k+1 coefficients that touch each point
    /// (cheap when out is small), or build the dense basis and multiply once (cheap when out is large).
    /// </summary>
    private Tensor SplineTerms(Tensor xT, Tensor coef, int order)
    {
        long N = xT.shape[1];
        int k = Grid.Order, n = Grid.BasisCount;
        if ((k + 1) * Outputs <= (order + 1) * n)
        {
            var (local, index) = _basis.EvaluateLocal(xT, order);           // [in, N, o+1, k+1], [in, N, k+1]
            var gathered = coef.gather(1, index.view(Inputs, N * (k + 1), 1).expand(Inputs, N * (k + 1), Outputs))
                               .view(Inputs, N, k + 1, Outputs);
            return matmul(local, gathered);
        }
        var basis = _basis.Evaluate(xT, order);                             // [in, N, o+1, G+k]
        return bmm(basis.view(Inputs, N * (order + 1), n), coef).view(Inputs, N, order + 1, Outputs);
    }

    /// <summary>Spline parts Σ_m c_ij,m B_m(x_i) of every edge at x [N, in], as [in, N, out] (no scales).</summary>
    public Tensor SplineValues(Tensor x)
    {
        long N = x.shape[0];
        var basis = _basis.Evaluate(x.t().contiguous(), 0).view(Inputs, N, Grid.BasisCount);
        return bmm(basis, Coefficients);
    }

    /// <summary>
    /// Adaptive grid update (pykan's update_grid_from_samples): interior knots become
    /// eps·uniform(min, max) + (1-eps)·sample quantiles of this layer's inputs x [N, in], then the
    /// coefficients are refit by least squares so the splines keep their values at the samples.
    /// Inputs whose samples are (nearly) constant keep their knots.
    /// </summary>
    public void UpdateGridFromSamples(Tensor x)
    {
        var newInterior = AdaptiveInterior(x, Grid.GridSize);
        Refit(KnotGrid.FromInterior(newInterior, Grid.Order), x);
    }

    /// <summary>
    /// Grid extension G → <paramref name="newGridSize"/> (paper §2.4): new interior knots interpolate the
    /// old ones linearly; coefficients are the least-squares fit of the old splines at x [N, in].
    /// An input whose samples reach beyond its interior knots gets knots placed from the samples instead
    /// (as an adaptive update does): the finer grid's extension zone is narrower, so interpolated knots
    /// would drop the spline's values out there.
    /// </summary>
    public void Extend(int newGridSize, Tensor x)
    {
        if (newGridSize < 1) throw new ArgumentException("grid size must be at least 1");
        int G = Grid.GridSize;
        var interior = new double[Inputs, newGridSize + 1];
        var (lows, highs) = SampleRange(x);
        double[,]? fromSamples = null;
        for (int i = 0; i < Inputs; i++)
        {
            var old = Grid.Interior(i);
            if (lows[i] < old[0] || highs[i] > old[^1])
            {
                fromSamples ??= AdaptiveInterior(x, newGridSize);
                for (int g = 0; g <= newGridSize; g++) interior[i, g] = fromSamples[i, g];
                continue;
            }
            for (int g = 0; g <= newGridSize; g++)
            {
                double pos = (double)g * G / newGridSize;
                int left = Math.Min((int)Math.Floor(pos), G - 1);
                double w = pos - left;
                interior[i, g] = (1 - w) * old[left] + w * old[left + 1];
            }
        }
        Refit(KnotGrid.FromInterior(interior, Grid.Order), x);
    }

    /// <summary>Replaces the knots and refits the coefficients to the old splines' values at x.</summary>
    public void Refit(KnotGrid newGrid, Tensor x)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var xd = x.detach();
        var target = SplineValues(xd);                                            // [in, N, out]
        var newBasis = new BSplineBasis(newGrid, Coefficients.dtype, Coefficients.device);
        long N = xd.shape[0];
        var A = newBasis.Evaluate(xd.t().contiguous(), 0).view(Inputs, N, newGrid.BasisCount);
        var solution = SplineFit.LeastSquares(A, target);                         // [in, G'+k, out]
        Coefficients.set_(solution.contiguous().DetachFromDisposeScope());
        Coefficients.grad = null;   // the old gradient has the old shape
        _basis.Dispose();
        _basis = newBasis;
    }

    private static (double[] Lows, double[] Highs) SampleRange(Tensor x)
    {
        using var noGrad = no_grad();
        var xd = x.detach().to(ScalarType.Float64, CPU);
        return (xd.amin(0).data<double>().ToArray(), xd.amax(0).data<double>().ToArray());
    }

    private double[,] AdaptiveInterior(Tensor x, int G)
    {
        using var noGrad = no_grad();
        var sorted = x.detach().t().sort(1).Values.to(ScalarType.Float64, CPU).contiguous();   // [in, N]
        long N = sorted.shape[1];
        var data = sorted.data<double>().ToArray();
        var interior = new double[Inputs, G + 1];
        for (int i = 0; i < Inputs; i++)
        {
            double lo = data[i * N], hi = data[i * N + N - 1];
            if (!(hi - lo > 1e-10 * (1 + Math.Abs(lo) + Math.Abs(hi))) || double.IsNaN(lo) || double.IsNaN(hi))
            {
                // A constant (or broken) input carries no information about where knots belong.
                var keep = Grid.Interior(i);
                for (int g = 0; g <= G; g++) interior[i, g] = keep[0] + (keep[^1] - keep[0]) * g / G;
                continue;
            }
            for (int g = 0; g <= G; g++)
            {
                double quantile = g < G ? data[i * N + (long)Math.Floor((double)N * g / G)] : hi;
                double uniform = lo + (hi - lo) * g / G;
                interior[i, g] = GridEps * uniform + (1 - GridEps) * quantile;
                // Tied samples (mesh data, grid_eps = 0) would give coincident knots.
                double minimumGap = 1e-9 * (hi - lo);
                if (g > 0 && interior[i, g] < interior[i, g - 1] + minimumGap) interior[i, g] = interior[i, g - 1] + minimumGap;
            }
        }
        return interior;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _basis.Dispose();
            _symbolic?.Dispose();
        }
        base.Dispose(disposing);
    }
}
