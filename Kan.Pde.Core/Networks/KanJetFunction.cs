using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kan.Pde.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// The jet through a stack of KAN layers on CPU tensors as one autograd node: the forward pass runs
/// <see cref="KanJetKernel{T}"/> layer by layer and the backward pass its hand-written adjoint, instead of the few
/// dozen tensor operations per layer (and their saved temporaries) of the tensor formulation. The backward pass is
/// first order: it gives parameter and input gradients but is not itself differentiable (nested reverse mode goes
/// through the tensor formulation).
/// </summary>
/// <remarks>
/// Small problems are bound by the number of native calls, not by arithmetic, so this class makes few of them: one
/// autograd node for the whole stack, shapes taken from the layers, parameters read through their addresses, and only
/// the layers' input jets saved as autograd variables.
/// </remarks>
internal sealed class KanJetFunction : autograd.MultiTensorFunction<KanJetFunction>
{
    /// <summary>What the node needs besides its saved jets.</summary>
    private sealed class Call
    {
        public required IReadOnlyList<KanLayer> Layers;
        public required int Order, Dimensions, Points, Threads;
        public required bool IsInput;
        public required ScalarType DType;
        public bool NeedsX, NeedsJet;
        public Array[]? SplineScales, BaseScales;   // per layer: masked w_s, w_b of the forward pass (T[])
    }

    /// <inheritdoc />
    public override string Name => nameof(KanJetFunction);

    /// <summary>True when the fused path can run the jet through <paramref name="layers"/> (CPU, float32/64, silu base).</summary>
    public static bool Supports(IReadOnlyList<KanLayer> layers, Jet input)
    {
        if (layers.Count == 0) return false;
        foreach (var layer in layers)
            if (!layer.CanUseHostKernel || layer.DType != layers[0].DType) return false;
        return input.Value.device_type == DeviceType.CPU && input.Value.dtype == layers[0].DType;
    }

    /// <summary>Runs <paramref name="layers"/> (in order) on <paramref name="input"/>; returns the output jet.</summary>
    public static Jet Propagate(IReadOnlyList<KanLayer> layers, Jet input)
    {
        int order = input.Order;
        var x = input.Value;
        var shape = x.shape;
        int inputs = layers[0].Inputs;
        if (shape.Length != 2 || shape[1] != inputs)
            throw new ArgumentException($"KAN layer expects [N, {inputs}] inputs, got [{string.Join(", ", shape)}]");
        for (int l = 1; l < layers.Count; l++)
            if (layers[l].Inputs != layers[l - 1].Outputs) throw new ArgumentException("consecutive layers must have matching widths");
        Tensor? g = order >= 1 && !input.IsInput ? input.Gradient : null;
        Tensor? s = order >= 2 && !input.IsInput ? input.Second : null;
        int D = input.IsInput || order == 0 ? inputs : (int)(g ?? throw new ArgumentException("a jet of order ≥ 1 needs its gradient")).shape[1];
        if (order >= 2 && !input.IsInput && s is null) throw new ArgumentException("a jet of order 2 needs its second derivatives");
        foreach (var t in new[] { g, s })
        {
            if (t is null) continue;
            var ts = t.shape;
            if (ts.Length != 3 || ts[0] != shape[0] || ts[1] != D || ts[2] != inputs)
                throw new ArgumentException($"jet derivatives must be [{shape[0]}, {D}, {inputs}], got [{string.Join(", ", ts)}]");
        }
        if (shape[0] > int.MaxValue) throw new ArgumentException("too many points for one jet");
        var call = new Call
        {
            Layers = layers, Order = order, Dimensions = D, Points = (int)shape[0],
            Threads = Math.Max(1, get_num_threads()), IsInput = input.IsInput, DType = layers[0].DType,
        };
        var vars = new List<object?> { x, g, s };
        foreach (var layer in layers) vars.AddRange(new object[] { layer.Coefficients, layer.SplineWeight, layer.BaseWeight });
        vars.Add(call);
        var outputs = apply(vars.ToArray()!);
        return new Jet(outputs[0], order >= 1 ? outputs[1] : null, order >= 2 ? outputs[2] : null) { Order = order };
    }

    /// <inheritdoc />
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var call = (Call)vars[^1];
        call.NeedsX = ((Tensor)vars[0]).requires_grad;
        call.NeedsJet = (vars[1] as Tensor)?.requires_grad ?? false;
        var x = Contiguous((Tensor)vars[0])!;
        var g = Contiguous(vars[1] as Tensor);
        var s = Contiguous(vars[2] as Tensor);
        int L = call.Layers.Count;
        call.SplineScales = new Array[L];
        call.BaseScales = new Array[L];
        // The input jet of every layer is what its backward pass needs.
        var saved = new List<Tensor> { x, g!, s! };
        Tensor y = x, yg = g!, ys = s!;
        for (int l = 0; l < L; l++)
        {
            var layer = call.Layers[l];
            long N = call.Points;
            var outY = empty(new[] { N, layer.Outputs }, call.DType);
            var outG = call.Order >= 1 ? empty(new[] { N, call.Dimensions, layer.Outputs }, call.DType) : null;
            var outS = call.Order >= 2 ? empty(new[] { N, call.Dimensions, layer.Outputs }, call.DType) : null;
            bool isInput = l == 0 && call.IsInput;
            if (call.DType == ScalarType.Float64) Forward<double>(call, l, isInput, y, yg, ys, outY, outG, outS);
            else Forward<float>(call, l, isInput, y, yg, ys, outY, outG, outS);
            (y, yg, ys) = (outY, outG!, outS!);
            if (l + 1 < L) saved.AddRange(new[] { y, yg, ys });
        }
        ctx.save_for_backward(saved);
        ctx.save_data("call", call);
        var result = new List<Tensor> { y };
        if (call.Order >= 1) result.Add(yg);
        if (call.Order >= 2) result.Add(ys);
        return result;
    }

    private static unsafe void Forward<T>(Call call, int l, bool isInput, Tensor x, Tensor? g, Tensor? s, Tensor y, Tensor? yg, Tensor? ys)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = call.Layers[l];
        int count = layer.Inputs * layer.Outputs;
        var ws = GC.AllocateUninitializedArray<T>(count, pinned: true);
        var wb = GC.AllocateUninitializedArray<T>(count, pinned: true);
        // φ uses the masked scales w·mask; they are computed once here and reused by the backward pass.
        T* mask = (T*)Address(layer.Mask), splineWeight = (T*)Address(layer.SplineWeight), baseWeight = (T*)Address(layer.BaseWeight);
        for (int q = 0; q < count; q++)
        {
            ws[q] = splineWeight[q] * mask[q];
            wb[q] = baseWeight[q] * mask[q];
        }
        call.SplineScales![l] = ws;
        call.BaseScales![l] = wb;
        var buffers = Buffers(call, l, isInput, x, g, s, ws, wb);
        buffers.Y = Address(y);
        buffers.YG = Address(yg);
        buffers.YS = Address(ys);
        KanJetKernel<T>.Forward(buffers, layer.Basis.Host<T>(), call.Threads);
        GC.KeepAlive(x); GC.KeepAlive(g); GC.KeepAlive(s);
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grad_outputs)
    {
        var saved = ctx.get_saved_variables();
        var call = (Call)ctx.get_data("call");
        int L = call.Layers.Count;
        var gradients = new Tensor?[3 + 3 * L + 1];
        // Upstream gradients of the current layer's output jet, walking from the last layer back.
        Tensor gy = Contiguous(grad_outputs[0])!;
        Tensor? gyg = call.Order >= 1 ? Contiguous(grad_outputs[1]) : null, gys = call.Order >= 2 ? Contiguous(grad_outputs[2]) : null;
        for (int l = L - 1; l >= 0; l--)
        {
            var layer = call.Layers[l];
            var x = Contiguous(saved[3 * l])!;
            Tensor? g = Contiguous(Defined(saved[3 * l + 1])), s = Contiguous(Defined(saved[3 * l + 2]));
            bool isInput = l == 0 && call.IsInput;
            bool needX = l > 0 || call.NeedsX, needJet = l > 0 ? !isInput && call.Order >= 1 : call.NeedsJet;
            var dx = needX ? empty_like(x) : null;
            var dg = needJet && g is not null ? empty_like(g) : null;
            var ds = needJet && s is not null ? empty_like(s) : null;
            var dCoefficients = zeros(new long[] { layer.Inputs, layer.Grid.BasisCount, layer.Outputs }, call.DType);
            var dSplineWeight = zeros(new long[] { layer.Inputs, layer.Outputs }, call.DType);
            var dBaseWeight = zeros(new long[] { layer.Inputs, layer.Outputs }, call.DType);
            if (call.DType == ScalarType.Float64)
                Backward<double>(call, l, isInput, x, g, s, (gy, gyg, gys), dx, dg, ds, dCoefficients, dSplineWeight, dBaseWeight);
            else
                Backward<float>(call, l, isInput, x, g, s, (gy, gyg, gys), dx, dg, ds, dCoefficients, dSplineWeight, dBaseWeight);
            gradients[3 + 3 * l] = dCoefficients;
            gradients[4 + 3 * l] = dSplineWeight;
            gradients[5 + 3 * l] = dBaseWeight;
            if (l == 0) (gradients[0], gradients[1], gradients[2]) = (dx, dg, ds);
            else (gy, gyg, gys) = (dx!, dg, ds);
        }
        return gradients.ToList()!;
    }

    private static unsafe void Backward<T>(Call call, int l, bool isInput, Tensor x, Tensor? g, Tensor? s, (Tensor Y, Tensor? G, Tensor? S) gy,
        Tensor? dx, Tensor? dg, Tensor? ds, Tensor dCoefficients, Tensor dSplineWeight, Tensor dBaseWeight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = call.Layers[l];
        var ws = (T[])call.SplineScales![l];
        var wb = (T[])call.BaseScales![l];
        var buffers = Buffers(call, l, isInput, x, g, s, ws, wb);
        var upstream = (Address(gy.Y), call.Order >= 1 ? Address(gy.G) : 0, call.Order >= 2 ? Address(gy.S) : 0);
        KanJetKernel<T>.Backward(buffers, layer.Basis.Host<T>(), upstream, Address(dx), Address(dg), Address(ds),
            (T*)Address(dCoefficients), (T*)Address(dSplineWeight), (T*)Address(dBaseWeight), call.Threads);
        // The kernel's scale gradients are with respect to the masked scales w·mask.
        T* mask = (T*)Address(layer.Mask), dws = (T*)Address(dSplineWeight), dwb = (T*)Address(dBaseWeight);
        for (int q = 0; q < ws.Length; q++)
        {
            dws[q] *= mask[q];
            dwb[q] *= mask[q];
        }
        GC.KeepAlive(x); GC.KeepAlive(g); GC.KeepAlive(s); GC.KeepAlive(gy.Y); GC.KeepAlive(gy.G); GC.KeepAlive(gy.S);
    }

    private static unsafe KanJetBuffers Buffers<T>(Call call, int l, bool isInput, Tensor x, Tensor? g, Tensor? s, T[] ws, T[] wb)
        where T : unmanaged
    {
        var layer = call.Layers[l];
        return new KanJetBuffers
        {
            Points = call.Points,
            Inputs = layer.Inputs,
            Outputs = layer.Outputs,
            Dimensions = call.Dimensions,
            Order = call.Order,
            IsInput = isInput,
            X = Address(x),
            G = Address(g),
            S = Address(s),
            Coefficients = Address(layer.Coefficients),
            // Pinned arrays (pinned object heap): their addresses stay valid.
            SplineScale = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ws)),
            BaseScale = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(wb)),
        };
    }

    private static Tensor? Defined(Tensor t) => t is null || t.IsInvalid ? null : t;

    // Jets written by the kernel are contiguous, so this rarely copies. Callers keep the result alive
    // (GC.KeepAlive) while the kernel reads its address.
    private static Tensor? Contiguous(Tensor? t) => t is null ? null : t.is_contiguous() ? t : t.contiguous();

    private static nint Address(Tensor? t) => TensorMemory.Address(t);
}
