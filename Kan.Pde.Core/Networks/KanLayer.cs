using Kan.Pde.Core.Runtime;
using Kan.Pde.Core.Splines;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// One KAN layer (pykan semantics): edge i→j carries φ_ij(x) = w_b,ij·silu(x) + w_s,ij·Σ_m c_ij,m B_m(x),
/// masked by mask_ij; node j sums its incoming edges. All edges are evaluated at once. On the CPU the jet runs
/// through a fused host kernel (<see cref="KanJetFunction"/>); elsewhere, or with <see cref="UseHostKernel"/> off,
/// through tensor operations (<see cref="PropagateWithTensors"/>). A layer that the fused kernel cannot evaluate
/// must report so through <see cref="CanUseFusedKernel"/>.
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
        // Drawn on the CPU (the generator is a CPU one) and moved: the same seed gives the same network on every device.
        Coefficients = new Parameter(((rand(new long[] { inputs, n, outputs }, dtype, CPU, generator: generator) - 0.5) * (noiseScale / gridSize)).to(device));
        BaseWeight = new Parameter(((rand(new long[] { inputs, outputs }, dtype, CPU, generator: generator) * 2 - 1) / Math.Sqrt(inputs)).to(device));
        SplineWeight = new Parameter(ones(new long[] { inputs, outputs }, dtype, device) / Math.Sqrt(inputs));
        Mask = ones(new long[] { inputs, outputs }, dtype, device);
        DType = dtype;
        IsHostFloat = device.type == DeviceType.CPU && dtype is ScalarType.Float64 or ScalarType.Float32;
        RegisterComponents();
    }

    /// <summary>Input nodes.</summary>
    public int Inputs { get; }

    /// <summary>Element type of the parameters.</summary>
    public ScalarType DType { get; }

    /// <summary>Parameters live in host memory as float32/64 (what the fused kernel reads).</summary>
    internal bool IsHostFloat { get; }

    /// <summary>
    /// Whether the fused host kernel can run this layer (CPU, float32/64, silu base, no symbolic edges: the kernel
    /// knows splines and silu only), whatever <see cref="UseHostKernel"/> says.
    /// </summary>
    public bool CanUseFusedKernel => IsHostFloat && ReferenceEquals(BaseFunction, Activation.Silu) && !Symbolic.Any;

    /// <summary>Whether <see cref="Propagate"/> takes the fused host kernel.</summary>
    internal bool CanUseHostKernel => UseHostKernel && CanUseFusedKernel;

    /// <summary>The current basis tables.</summary>
    internal BSplineBasis Basis => _basis;

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

    /// <summary>
    /// Whether CPU jets go through the fused host kernel (<see cref="KanJetFunction"/>, default) rather than
    /// the tensor formulation. Both compute the same numbers; the tensor formulation is what runs on GPUs.
    /// </summary>
    public bool UseHostKernel { get; set; } = true;

    /// <inheritdoc />
    /// <remarks>
    /// With gradients enabled this builds the tensor-operation graph, which nested reverse mode differentiates
    /// more than once; the fused kernel's backward pass is first order only.
    /// </remarks>
    public override Tensor forward(Tensor x)
    {
        var input = new Jet(x, null, null) { Order = 0 };
        return (is_grad_enabled() ? PropagateWithTensors(input) : Propagate(input)).Value;
    }

    /// <summary>Forward mode through the layer: values, ∂/∂x_d and ∂²/∂x_d² of every output node.</summary>
    public Jet Propagate(Jet input)
    {
        var self = new[] { this };
        if (KanJetFunction.Supports(self, input)) return KanJetFunction.Propagate(self, input);
        return PropagateWithTensors(input);
    }

    /// <summary>The jet through tensor operations (any device, differentiable to any order).</summary>
    /// <remarks>
    /// Two equivalent formulations. Per edge: φ_ij and its derivatives as [in, N, o+1, out], then the jet by batched
    /// products (small when the layer has few outputs). Through features: the bases (and silu) times the input jet,
    /// [N, 1+2D, in·(G+k)], contracted with all coefficients in one matrix product that yields value, gradient and
    /// second derivatives of every output at once (small when the layer has many outputs, and few operations). The
    /// features of the network's input points depend only on the points and the grid, so they are kept between
    /// calls while both stay the same.
    /// </remarks>
    public Jet PropagateWithTensors(Jet input)
    {
        int order = input.Order;
        var x = input.Value;
        if (x.dim() != 2 || x.shape[1] != Inputs)
            throw new ArgumentException($"KAN layer expects [N, {Inputs}] inputs, got [{string.Join(", ", x.shape)}]");
        int D = input.IsInput || order == 0 ? Inputs : (int)input.Gradient!.shape[1];
        int slots = 1 + order * D, k = Grid.Order, n = Grid.BasisCount;
        bool cacheable = input.IsInput && !x.requires_grad;
        long featureCost = (long)slots * (n + 1) * Inputs, edgeCost = (long)Inputs * Outputs * (order + 1 + k + 1 + 2 * order * D);
        // Symbolic edges are added per edge, so layers with any take the per-edge formulation.
        if (!Symbolic.Any && (cacheable || featureCost < edgeCost)) return ThroughFeatures(input, order, D, cacheable);

        var xT = x.t().contiguous();                                        // [in, N]
        var splineMask = Symbolic.SplineMask(Mask);                         // symbolic edges drop their spline
        var coef = Coefficients * (SplineWeight * splineMask).unsqueeze(1); // [in, G+k, out]
        var phi = SplineTerms(xT, coef, order);                             // [in, N, o+1, out]
        var baseTerms = stack(BaseFunction.Evaluate(xT, order), -1);       // [in, N, o+1]
        phi = phi.addcmul(baseTerms.unsqueeze(-1), (BaseWeight * splineMask).view(Inputs, 1, 1, Outputs), ConstantTensors.One);
        if (Symbolic.Terms(xT, order, Mask) is { } symbolic) phi = phi + symbolic;
        var value = phi.select(2, 0).sum(dim: 0);                                // [N, out]
        if (order == 0) return new Jet(value, null, null) { Order = 0 };

        if (input.IsInput)
        {
            var phi1Input = phi.select(2, 1).permute(1, 0, 2);              // [N, in, out]  φ'
            return order == 1
                ? new Jet(value, phi1Input, null) { Order = 1 }
                : new Jet(value, phi1Input, phi.select(2, 2).permute(1, 0, 2)) { Order = 2 };
        }
        // Σ_i g[N, D, i]·φ'[N, i, out] and Σ_i (g²·φ'' + s·φ'), the second-order terms fused into one product-and-add.
        var g = input.Gradient!;
        if (Outputs > NarrowOutputs)
        {
            var phi1 = phi.select(2, 1).permute(1, 0, 2);                   // [N, in, out]  φ'
            var gradientBmm = bmm(g, phi1);                                 // [N, D, out]
            if (order == 1) return new Jet(value, gradientBmm, null) { Order = 1 };
            var phi2Bmm = phi.select(2, 2).permute(1, 0, 2);
            return new Jet(value, gradientBmm, bmm(g.square(), phi2Bmm) + bmm(input.Second!, phi1)) { Order = 2 };
        }
        // Few outputs: broadcast products and sums instead of batched matrix products, on views of one permutation.
        var pointMajor = phi.permute(1, 2, 0, 3);                           // [N, o+1, in, out]
        var phi1Wide = pointMajor.narrow(1, 1, 1);                          // [N, 1, in, out]  φ'
        var gWide = g.unsqueeze(-1);                                        // [N, D, in, 1]
        var gradient = (gWide * phi1Wide).sum(2);                           // [N, D, out]
        if (order == 1) return new Jet(value, gradient, null) { Order = 1 };
        var second = (gWide.square() * pointMajor.narrow(1, 2, 1))
            .addcmul(input.Second!.unsqueeze(-1), phi1Wide, ConstantTensors.One).sum(2);
        return new Jet(value, gradient, second) { Order = 2 };
    }

    // Outputs up to which per-point products are written as broadcast-and-sum instead of batched matrix products.
    private const int NarrowOutputs = 4;

    private Jet ThroughFeatures(Jet input, int order, int D, bool cacheable)
    {
        var x = input.Value;
        long N = x.shape[0];
        int n = Grid.BasisCount, slots = 1 + order * D;
        // Kept input features are one tensor [N, slots, in·(G+k) + in] (spline, then silu features): one matrix product
        // per call. A hidden layer's features are not joined: the copy would double their memory (10 GB per layer for
        // KAN [2,32,32,1] at 1e6 points in float64).
        Tensor? joined = null, splineFeatures = null, baseFeatures = null;
        if (cacheable && _inputFeatures is { } c && ReferenceEquals(c.Points, x) && !x.IsInvalid && c.Order == order)
            joined = c.Features;
        else
        {
            using var scope = NewDisposeScope();
            using var noGrad = cacheable ? no_grad() : null;
            var xT = x.t().contiguous();
            // The chain rule runs on the k+1 non-zero functions per input; the products are then scattered into
            // the dense layout, so nothing of size [N, in, G+k] is built more than once.
            var (local, index) = _basis.EvaluateLocal(xT, order);                          // [in, N, o+1, k+1], [in, N, k+1]
            // Point-major copies first: the element-wise products and the scatter below then read memory in order
            // (strided reads of the transposed views made them several times slower on a GPU).
            var localFeatures = Features(local.permute(1, 2, 0, 3).contiguous(), input, order, D);   // [N, slots, in, k+1]
            var slotsIndex = index.permute(1, 0, 2).contiguous().unsqueeze(1).expand(localFeatures.shape);
            splineFeatures = zeros(new long[] { N, slots, Inputs, n }, x.dtype, x.device)
                .scatter_add(3, slotsIndex, localFeatures).view(N, slots, Inputs * n);
            var silu = stack(BaseFunction.Evaluate(xT, order), -1).permute(1, 2, 0);       // [N, o+1, in]
            baseFeatures = Features(silu.unsqueeze(-1), input, order, D).reshape(N, slots, Inputs);
            if (cacheable)
            {
                joined = cat(new[] { splineFeatures, baseFeatures }, 2).MoveToOuterDisposeScope();
                _inputFeatures?.Dispose();
                _inputFeatures = new InputFeatures(x, order, joined.DetachFromDisposeScope());
            }
            else
            {
                splineFeatures.MoveToOuterDisposeScope();
                baseFeatures.MoveToOuterDisposeScope();
            }
        }
        var splineCoef = (Coefficients * (SplineWeight * Mask).unsqueeze(1)).view(Inputs * n, Outputs);
        var baseCoef = BaseWeight * Mask;
        var all = joined is not null                                                          // [N, slots, out]
            ? matmul(joined, cat(new[] { splineCoef, baseCoef }, 0))
            : matmul(splineFeatures!, splineCoef) + matmul(baseFeatures!, baseCoef);
        var value = all.select(1, 0);
        if (order == 0) return new Jet(value, null, null) { Order = 0 };
        var gradient = all.narrow(1, 1, D);
        return order == 1
            ? new Jet(value, gradient, null) { Order = 1 }
            : new Jet(value, gradient, all.narrow(1, 1 + D, D)) { Order = 2 };
    }

    /// <summary>
    /// Chain rule on per-input quantities b [N, o+1, in, m] (derivatives of a basis function or silu in slot 1):
    /// [b, b'·∂_d x, b''·(∂_d x)² + b'·∂²_d x] as [N, 1+o·D, in, m]; for the input jet ∂_d x_i = δ_di.
    /// </summary>
    private Tensor Features(Tensor b, Jet input, int order, int D)
    {
        var value = b.select(1, 0).unsqueeze(1);                                            // [N, 1, in, m]
        if (order == 0) return value;
        Tensor first, second;
        if (input.IsInput)
        {
            var identity = eye(D, Inputs, b.dtype, b.device).view(1, D, Inputs, 1);
            first = b.select(1, 1).unsqueeze(1) * identity;
            if (order == 1) return cat(new[] { value, first }, 1);
            second = b.select(1, 2).unsqueeze(1) * identity;
            return cat(new[] { value, first, second }, 1);
        }
        var g = input.Gradient!.unsqueeze(-1);                                              // [N, D, in, 1]
        var b1 = b.select(1, 1).unsqueeze(1);
        first = b1 * g;
        if (order == 1) return cat(new[] { value, first }, 1);
        second = b.select(1, 2).unsqueeze(1) * g.square() + b1 * input.Second!.unsqueeze(-1);
        return cat(new[] { value, first, second }, 1);
    }

    /// <summary>Features of the network's input points, kept while the points and the grid stay the same.</summary>
    private sealed record InputFeatures(Tensor Points, int Order, Tensor Features) : IDisposable
    {
        public void Dispose() => Features.Dispose();
    }

    private InputFeatures? _inputFeatures;

    /// <summary>
    /// Σ_m c_ij,m B_m^(d)(x_i) for every edge and derivative order d ≤ <paramref name="order"/>, as
    /// [in, N, order+1, out]. Two equivalent contractions: gather the k+1 coefficients that touch each point
    /// (cheap when out is small), or build the dense basis and multiply once (cheap when out is large).
    /// </summary>
    private Tensor SplineTerms(Tensor xT, Tensor coef, int order)
    {
        long N = xT.shape[1];
        int k = Grid.Order, n = Grid.BasisCount;
        if ((k + 1) * Outputs <= (order + 1) * n && _basis.EvaluateWindows(xT, order) is (var windowLocal, var window))
        {
            // Uniform knots: each point's k+1 coefficients are one window of the zero-padded coefficients.
            var windows = nn.functional.pad(coef, new long[] { 0, 0, k + 1, k + 1 }).unfold(1, k + 1, 1);   // [in, G+k+2, out, k+1]
            var picked = windows.gather(1, window.view(Inputs, N, 1, 1).expand(Inputs, N, Outputs, k + 1));   // [in, N, out, k+1]
            return Outputs <= NarrowOutputs
                ? (windowLocal * picked.unsqueeze(2)).sum(-1)
                : matmul(windowLocal.squeeze(3), picked.transpose(2, 3));
        }
        if ((k + 1) * Outputs <= (order + 1) * n)
        {
            var (local, index) = _basis.EvaluateLocal(xT, order);           // [in, N, o+1, k+1], [in, N, k+1]
            var gathered = coef.gather(1, index.view(Inputs, N * (k + 1), 1).expand(Inputs, N * (k + 1), Outputs))
                               .view(Inputs, N, 1, k + 1, Outputs);
            // A product of in·N tiny matrices is slow as a batched matrix product (on GPUs above all); with few
            // outputs the broadcast product and sum is one memory-bound pass.
            return Outputs <= NarrowOutputs
                ? (local.unsqueeze(-1) * gathered).sum(3)
                : matmul(local, gathered.squeeze(2));
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
        _inputFeatures?.Dispose();
        _inputFeatures = null;
    }

    /// <summary>
    /// Puts <paramref name="grid"/> in place without refitting (to restore a saved state): the coefficients take the
    /// new grid's shape, with zeros, and the caller overwrites them.
    /// </summary>
    public void ReplaceGrid(KnotGrid grid)
    {
        if (grid.Inputs != Inputs) throw new ArgumentException($"the grid has {grid.Inputs} inputs, the layer {Inputs}");
        using var noGrad = no_grad();
        var basis = new BSplineBasis(grid, Coefficients.dtype, Coefficients.device);
        if (grid.BasisCount != Grid.BasisCount)
        {
            Coefficients.set_(zeros(new long[] { Inputs, grid.BasisCount, Outputs }, Coefficients.dtype, Coefficients.device).DetachFromDisposeScope());
            Coefficients.grad = null;
        }
        _basis.Dispose();
        _basis = basis;
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
            _inputFeatures?.Dispose();
            _symbolic?.Dispose();
        }
        base.Dispose(disposing);
    }
}
