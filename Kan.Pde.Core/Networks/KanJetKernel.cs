using System.Numerics;
using System.Runtime.CompilerServices;
using Kan.Pde.Core.Splines;

namespace Kan.Pde.Core.Networks;

/// <summary>
/// Where a KAN layer's jet lives in host memory: contiguous row-major buffers, one row per point.
/// Addresses are kept as integers so the struct can cross into worker lambdas.
/// </summary>
internal struct KanJetBuffers
{
    public int Points, Inputs, Outputs, Dimensions, Order;
    public bool IsInput;                    // the input jet is x itself: gradient δ_di, second derivative 0
    public nint X, G, S;                    // input jet [N, in], [N, D, in], [N, D, in]
    public nint Coefficients;               // [in, G+k, out]
    public nint SplineScale, BaseScale;     // masked w_s, w_b [in, out]
    public nint Y, YG, YS;                  // output jet [N, out], [N, D, out], [N, D, out]
}

/// <summary>
/// The forward and backward pass of one KAN layer's jet (value, input gradient, pure second derivatives) as
/// plain loops over host memory, one point at a time, vectorized over the layer's outputs.
/// </summary>
/// <remarks>
/// Per point and input node the k+1 non-zero basis functions and silu are evaluated once, with their derivatives,
/// and reused by every outgoing edge: φ^(d) = w_s·Σ_r c_r B_r^(d) + w_b·silu^(d). The jet composition follows the
/// chain rule for pure second derivatives: h_j = Σ_i φ_ij(x_i), ∂_d h_j = Σ_i φ'_ij ∂_d x_i,
/// ∂_d² h_j = Σ_i φ''_ij (∂_d x_i)² + φ'_ij ∂_d² x_i. Nothing of size [in, N, out] is ever stored, which is what
/// makes the tensor formulation memory- and op-bound. The backward pass recomputes the bases instead of saving them.
/// </remarks>
internal static unsafe class KanJetKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Two = T.CreateChecked(2);
    private static readonly T Three = T.CreateChecked(3);

    /// <summary>Fills the output jet (Y, YG, YS) from the input jet.</summary>
    public static void Forward(in KanJetBuffers a, HostSplineTable<T> table, int threads)
    {
        var args = a;
        int chunks = ChunkCount(a.Points, a.Inputs * a.Outputs, threads);
        if (chunks == 1)
        {
            ForwardRange(args, table, 0, a.Points);
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            var (lo, hi) = Range(args.Points, chunks, c);
            ForwardRange(args, table, lo, hi);
        });
    }

    /// <summary>Gradients with respect to the input jet and the parameters, given those of the output jet.</summary>
    /// <param name="a">The buffers of the forward call (outputs unused).</param>
    /// <param name="table">The bases of the forward call.</param>
    /// <param name="gy">Upstream gradients of Y, YG, YS (same shapes; YG/YS only up to the order).</param>
    /// <param name="dx">dL/dX [N, in], or 0 when not needed.</param>
    /// <param name="dg">dL/dG [N, D, in], or 0 when not needed.</param>
    /// <param name="ds">dL/dS [N, D, in], or 0 when not needed.</param>
    /// <param name="dCoefficients">dL/dc [in, G+k, out], summed over points into zero-initialized memory.</param>
    /// <param name="dSplineScale">dL/d(masked w_s) [in, out], likewise.</param>
    /// <param name="dBaseScale">dL/d(masked w_b) [in, out], likewise.</param>
    /// <param name="threads">Worker count.</param>
    public static void Backward(in KanJetBuffers a, HostSplineTable<T> table, (nint Y, nint YG, nint YS) gy,
        nint dx, nint dg, nint ds, T* dCoefficients, T* dSplineScale, T* dBaseScale, int threads)
    {
        var args = a;
        int chunks = ChunkCount(a.Points, a.Inputs * a.Outputs, threads);
        int coefficientCount = a.Inputs * table.BasisCount * a.Outputs, scaleCount = a.Inputs * a.Outputs;
        if (chunks == 1)
        {
            BackwardRange(args, table, gy, dx, dg, ds, dCoefficients, dSplineScale, dBaseScale, 0, a.Points);
            return;
        }
        // Per-chunk parameter sums, added in chunk order afterwards: the result does not depend on scheduling.
        var partial = new T[chunks][];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            var (lo, hi) = Range(args.Points, chunks, c);
            var sums = new T[coefficientCount + 2 * scaleCount];
            fixed (T* p = sums)
                BackwardRange(args, table, gy, dx, dg, ds, p, p + coefficientCount, p + coefficientCount + scaleCount, lo, hi);
            partial[c] = sums;
        });
        for (int c = 0; c < chunks; c++)
        {
            var sums = partial[c];
            for (int q = 0; q < coefficientCount; q++) dCoefficients[q] += sums[q];
            for (int q = 0; q < scaleCount; q++)
            {
                dSplineScale[q] += sums[coefficientCount + q];
                dBaseScale[q] += sums[coefficientCount + scaleCount + q];
            }
        }
    }

    // Enough points per chunk that a worker's start-up (a few microseconds) stays small against its work.
    private static int ChunkCount(int points, int edges, int threads)
    {
        long work = (long)points * Math.Max(1, edges);
        return (int)Math.Clamp(Math.Min(threads, work / 4096), 1, Math.Max(1, points));
    }

    private static (int Lo, int Hi) Range(int points, int chunks, int c) =>
        ((int)((long)points * c / chunks), (int)((long)points * (c + 1) / chunks));

    /// <summary>Points handled together: their silu values are computed in vector lanes first.</summary>
    private const int Block = 32;

    /// <summary>
    /// silu and its derivatives 0..count−1 at every x, written as f[d·stride + q]:
    /// σ = 1/(1+e^−x), f = xσ, f' = σ + xσ', f'' = σ'(2 + x(1−2σ)), f''' = σ'(3(1−2σ) + x((1−2σ)² − 2σ')).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Silu(ReadOnlySpan<T> x, int count, Span<T> f, int stride)
    {
        int W = Vector<T>.Count, q = 0;
        var one = Vector<T>.One;
        var two = new Vector<T>(Two);
        var three = new Vector<T>(Three);
        for (; q <= x.Length - W; q += W)
        {
            var v = new Vector<T>(x.Slice(q, W));
            var sigma = one / (one + Exp(-v));
            (v * sigma).CopyTo(f.Slice(q, W));
            if (count == 1) continue;
            var dsigma = sigma * (one - sigma);
            (sigma + v * dsigma).CopyTo(f.Slice(stride + q, W));
            if (count == 2) continue;
            var w = one - two * sigma;
            (dsigma * (two + v * w)).CopyTo(f.Slice(2 * stride + q, W));
            if (count == 3) continue;
            (dsigma * (three * w + v * (w * w - two * dsigma))).CopyTo(f.Slice(3 * stride + q, W));
        }
        for (; q < x.Length; q++)
        {
            T v = x[q];
            T sigma = T.One / (T.One + T.Exp(-v));
            f[q] = v * sigma;
            if (count == 1) continue;
            T dsigma = sigma * (T.One - sigma);
            f[stride + q] = sigma + v * dsigma;
            if (count == 2) continue;
            T w = T.One - Two * sigma;
            f[2 * stride + q] = dsigma * (Two + v * w);
            if (count == 3) continue;
            f[3 * stride + q] = dsigma * (Three * w + v * (w * w - Two * dsigma));
        }
    }

    private static Vector<T> Exp(Vector<T> v)
    {
        if (typeof(T) == typeof(double)) return Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(v)));
        if (typeof(T) == typeof(float)) return Vector.As<float, T>(Vector.Exp(Vector.As<T, float>(v)));
        throw new NotSupportedException(typeof(T).Name);
    }

    // The jet's order and whether it is the input's own jet decide which terms exist; as type arguments they are
    // constants in each compiled copy of the loops, so the untaken branches and their registers disappear.
    private interface IConstant { static abstract int Value { get; } }
    private struct Order0 : IConstant { public static int Value => 0; }
    private struct Order1 : IConstant { public static int Value => 1; }
    private struct Order2 : IConstant { public static int Value => 2; }
    private struct NotInput : IConstant { public static int Value => 0; }
    private struct IsInputJet : IConstant { public static int Value => 1; }

    private static void ForwardRange(KanJetBuffers a, HostSplineTable<T> table, int lo, int hi)
    {
        switch (a.Order, a.IsInput)
        {
            case (0, false): ForwardRange<Order0, NotInput>(a, table, lo, hi); break;
            case (1, false): ForwardRange<Order1, NotInput>(a, table, lo, hi); break;
            case (2, false): ForwardRange<Order2, NotInput>(a, table, lo, hi); break;
            case (0, true): ForwardRange<Order0, IsInputJet>(a, table, lo, hi); break;
            case (1, true): ForwardRange<Order1, IsInputJet>(a, table, lo, hi); break;
            case (2, true): ForwardRange<Order2, IsInputJet>(a, table, lo, hi); break;
            default: throw new ArgumentOutOfRangeException(nameof(a), "jet order must be 0, 1 or 2");
        }
    }

    private static void BackwardRange(KanJetBuffers a, HostSplineTable<T> table, (nint Y, nint YG, nint YS) gy,
        nint dx, nint dg, nint ds, T* dC, T* dWs, T* dWb, int lo, int hi)
    {
        switch (a.Order, a.IsInput)
        {
            case (0, false): BackwardRange<Order0, NotInput>(a, table, gy, dx, dg, ds, dC, dWs, dWb, lo, hi); break;
            case (1, false): BackwardRange<Order1, NotInput>(a, table, gy, dx, dg, ds, dC, dWs, dWb, lo, hi); break;
            case (2, false): BackwardRange<Order2, NotInput>(a, table, gy, dx, dg, ds, dC, dWs, dWb, lo, hi); break;
            case (0, true): BackwardRange<Order0, IsInputJet>(a, table, gy, dx, dg, ds, dC, dWs, dWb, lo, hi); break;
            case (1, true): BackwardRange<Order1, IsInputJet>(a, table, gy, dx, dg, ds, dC, dWs, dWb, lo, hi); break;
            case (2, true): BackwardRange<Order2, IsInputJet>(a, table, gy, dx, dg, ds, dC, dWs, dWb, lo, hi); break;
            default: throw new ArgumentOutOfRangeException(nameof(a), "jet order must be 0, 1 or 2");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRange<TOrder, TInput>(KanJetBuffers a, HostSplineTable<T> table, int lo, int hi)
        where TOrder : struct, IConstant where TInput : struct, IConstant
    {
        int In = a.Inputs, Out = a.Outputs, D = a.Dimensions, order = TOrder.Value;
        int k = table.Order, stride = table.Stride, n = table.BasisCount, derivatives = order + 1;
        int perPoint = derivatives * stride, fStride = Block * In;
        int W = Vector<T>.Count;
        bool isInput = TInput.Value == 1;
        T* X = (T*)a.X, G = (T*)a.G, S = (T*)a.S, C = (T*)a.Coefficients, WS = (T*)a.SplineScale, WB = (T*)a.BaseScale;
        T* basis = stackalloc T[Block * perPoint];
        int* firsts = stackalloc int[Block];
        T* g = stackalloc T[D];
        T* s = stackalloc T[D];
        var siluValues = new T[derivatives * fStride];
        fixed (T* f = siluValues)
        for (int p0 = lo; p0 < hi; p0 += Block)
        {
            int count = Math.Min(Block, hi - p0);
            Silu(new ReadOnlySpan<T>(X + (long)p0 * In, count * In), derivatives, new Span<T>(f, siluValues.Length), fStride);
            new Span<T>((T*)a.Y + (long)p0 * Out, count * Out).Clear();
            if (order >= 1) new Span<T>((T*)a.YG + (long)p0 * D * Out, count * D * Out).Clear();
            if (order >= 2) new Span<T>((T*)a.YS + (long)p0 * D * Out, count * D * Out).Clear();
            for (int i = 0; i < In; i++)
            {
                table.Evaluate(i, X + (long)p0 * In + i, In, count, derivatives, basis, firsts);
                T* ws = WS + i * Out, wb = WB + i * Out;
                for (int q = 0; q < count; q++)
                {
                    long p = p0 + q;
                    T* B = basis + q * perPoint;
                    int first = firsts[q];
                    int rLo = Math.Max(0, -first), rHi = Math.Min(k, n - 1 - first);
                    T* c0 = C + ((long)i * n + first) * Out;     // row of local slot r is c0 + r·Out
                    T* y = (T*)a.Y + p * Out;
                    T* yg = (T*)a.YG + p * D * Out;
                    T* ys = (T*)a.YS + p * D * Out;
                    int fi = q * In + i;
                    T f0 = f[fi], f1 = order >= 1 ? f[fStride + fi] : T.Zero, f2 = order >= 2 ? f[2 * fStride + fi] : T.Zero;
                    if (!isInput && order >= 1)
                        for (int d = 0; d < D; d++)
                        {
                            g[d] = G[(p * D + d) * In + i];
                            s[d] = order >= 2 ? S[(p * D + d) * In + i] : T.Zero;
                        }
                    int j = 0;
                    for (; j <= Out - W; j += W)
                    {
                        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero;
                        for (int r = rLo; r <= rHi; r++)
                        {
                            var c = Vector.Load(c0 + r * Out + j);
                            s0 += c * B[r];
                            if (order >= 1) s1 += c * B[stride + r];
                            if (order >= 2) s2 += c * B[2 * stride + r];
                        }
                        var vs = Vector.Load(ws + j);
                        var vb = Vector.Load(wb + j);
                        Vector.Store(Vector.Load(y + j) + vs * s0 + vb * f0, y + j);
                        if (order == 0) continue;
                        var phi1 = vs * s1 + vb * f1;
                        var phi2 = order >= 2 ? vs * s2 + vb * f2 : Vector<T>.Zero;
                        if (isInput)
                        {
                            T* gRow = yg + i * Out + j;
                            Vector.Store(Vector.Load(gRow) + phi1, gRow);
                            if (order >= 2)
                            {
                                T* sRow = ys + i * Out + j;
                                Vector.Store(Vector.Load(sRow) + phi2, sRow);
                            }
                            continue;
                        }
                        for (int d = 0; d < D; d++)
                        {
                            T* gRow = yg + d * Out + j;
                            Vector.Store(Vector.Load(gRow) + phi1 * g[d], gRow);
                            if (order < 2) continue;
                            T* sRow = ys + d * Out + j;
                            Vector.Store(Vector.Load(sRow) + phi2 * (g[d] * g[d]) + phi1 * s[d], sRow);
                        }
                    }
                    for (; j < Out; j++)
                    {
                        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero;
                        for (int r = rLo; r <= rHi; r++)
                        {
                            T c = c0[r * Out + j];
                            s0 += c * B[r];
                            if (order >= 1) s1 += c * B[stride + r];
                            if (order >= 2) s2 += c * B[2 * stride + r];
                        }
                        y[j] += ws[j] * s0 + wb[j] * f0;
                        if (order == 0) continue;
                        T phi1 = ws[j] * s1 + wb[j] * f1;
                        T phi2 = order >= 2 ? ws[j] * s2 + wb[j] * f2 : T.Zero;
                        if (isInput)
                        {
                            yg[i * Out + j] += phi1;
                            if (order >= 2) ys[i * Out + j] += phi2;
                            continue;
                        }
                        for (int d = 0; d < D; d++)
                        {
                            yg[d * Out + j] += phi1 * g[d];
                            if (order >= 2) ys[d * Out + j] += phi2 * (g[d] * g[d]) + phi1 * s[d];
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardRange<TOrder, TInput>(KanJetBuffers a, HostSplineTable<T> table, (nint Y, nint YG, nint YS) gy,
        nint dxAddress, nint dgAddress, nint dsAddress, T* dC, T* dWs, T* dWb, int lo, int hi)
        where TOrder : struct, IConstant where TInput : struct, IConstant
    {
        int In = a.Inputs, Out = a.Outputs, D = a.Dimensions, order = TOrder.Value;
        int k = table.Order, stride = table.Stride, n = table.BasisCount;
        int derivatives = order + 2;                       // one more: the input's own derivative
        int perPoint = derivatives * stride, fStride = Block * In;
        int W = Vector<T>.Count;
        bool isInput = TInput.Value == 1;
        bool wantX = dxAddress != 0, wantJet = !isInput && order >= 1 && dgAddress != 0;
        T* X = (T*)a.X, G = (T*)a.G, S = (T*)a.S, C = (T*)a.Coefficients, WS = (T*)a.SplineScale, WB = (T*)a.BaseScale;
        T* GY = (T*)gy.Y, GYG = (T*)gy.YG, GYS = (T*)gy.YS;
        T* DX = (T*)dxAddress, DG = (T*)dgAddress, DS = (T*)dsAddress;
        T* basis = stackalloc T[Block * perPoint];
        int* firsts = stackalloc int[Block];
        T* g = stackalloc T[D];
        T* s = stackalloc T[D];
        T* accG = stackalloc T[D];
        T* accS = stackalloc T[D];
        Vector<T>* vAccG = stackalloc Vector<T>[D];
        Vector<T>* vAccS = stackalloc Vector<T>[D];
        var siluValues = new T[derivatives * fStride];
        fixed (T* f = siluValues)
        for (int p0 = lo; p0 < hi; p0 += Block)
        {
            int count = Math.Min(Block, hi - p0);
            Silu(new ReadOnlySpan<T>(X + (long)p0 * In, count * In), derivatives, new Span<T>(f, siluValues.Length), fStride);
            for (int i = 0; i < In; i++)
            {
                table.Evaluate(i, X + (long)p0 * In + i, In, count, derivatives, basis, firsts);
                T* ws = WS + i * Out, wb = WB + i * Out;
                T* dws = dWs + i * Out, dwb = dWb + i * Out;
                for (int q = 0; q < count; q++)
                {
                    long p = p0 + q;
                    T* B = basis + q * perPoint;
                    int first = firsts[q];
                    int rLo = Math.Max(0, -first), rHi = Math.Min(k, n - 1 - first);
                    T* c0 = C + ((long)i * n + first) * Out;
                    T* dc0 = dC + ((long)i * n + first) * Out;
                    T* gv = GY + p * Out;
                    T* gg = GYG + p * D * Out;
                    T* gs = GYS + p * D * Out;
                    int fi = q * In + i;
                    T f0 = f[fi], f1 = f[fStride + fi];
                    T f2 = order >= 1 ? f[2 * fStride + fi] : T.Zero, f3 = order >= 2 ? f[3 * fStride + fi] : T.Zero;
                    if (!isInput && order >= 1)
                        for (int d = 0; d < D; d++)
                        {
                            g[d] = G[(p * D + d) * In + i];
                            s[d] = order >= 2 ? S[(p * D + d) * In + i] : T.Zero;
                        }
                    // Upstream gradients of the edge's φ, φ', φ'' are a0, a1, a2 (vectors over outputs j):
                    // a1 = Σ_d gg_d g_d + gs_d s_d, a2 = Σ_d gs_d g_d²; for the input jet g_d = δ_di, s = 0.
                    var vx = Vector<T>.Zero;
                    T accX = T.Zero;
                    for (int d = 0; d < D; d++)
                    {
                        vAccG[d] = Vector<T>.Zero;
                        vAccS[d] = Vector<T>.Zero;
                        accG[d] = T.Zero;
                        accS[d] = T.Zero;
                    }
                    int j = 0;
                    for (; j <= Out - W; j += W)
                    {
                        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
                        for (int r = rLo; r <= rHi; r++)
                        {
                            var c = Vector.Load(c0 + r * Out + j);
                            s0 += c * B[r];
                            s1 += c * B[stride + r];
                            if (order >= 1) s2 += c * B[2 * stride + r];
                            if (order >= 2) s3 += c * B[3 * stride + r];
                        }
                        var vs = Vector.Load(ws + j);
                        var vb = Vector.Load(wb + j);
                        var a0 = Vector.Load(gv + j);
                        Vector<T> a1 = Vector<T>.Zero, a2 = Vector<T>.Zero;
                        if (isInput)
                        {
                            if (order >= 1) a1 = Vector.Load(gg + i * Out + j);
                            if (order >= 2) a2 = Vector.Load(gs + i * Out + j);
                        }
                        else if (order >= 1)
                        {
                            for (int d = 0; d < D; d++)
                            {
                                var ggd = Vector.Load(gg + d * Out + j);
                                a1 += ggd * g[d];
                                if (order >= 2)
                                {
                                    var gsd = Vector.Load(gs + d * Out + j);
                                    a1 += gsd * s[d];
                                    a2 += gsd * (g[d] * g[d]);
                                }
                            }
                        }
                        var phi1 = vs * s1 + vb * f1;
                        Vector<T> phi2 = Vector<T>.Zero, phi3 = Vector<T>.Zero;
                        if (order >= 1) phi2 = vs * s2 + vb * f2;
                        if (order >= 2) phi3 = vs * s3 + vb * f3;
                        if (wantX) vx += a0 * phi1 + a1 * phi2 + a2 * phi3;
                        if (wantJet)
                            for (int d = 0; d < D; d++)
                            {
                                var ggd = Vector.Load(gg + d * Out + j);
                                if (order >= 2)
                                {
                                    var gsd = Vector.Load(gs + d * Out + j);
                                    vAccG[d] += ggd * phi1 + gsd * phi2 * (Two * g[d]);
                                    vAccS[d] += gsd * phi1;
                                }
                                else vAccG[d] += ggd * phi1;
                            }
                        Vector.Store(Vector.Load(dws + j) + a0 * s0 + a1 * s1 + a2 * s2, dws + j);
                        Vector.Store(Vector.Load(dwb + j) + a0 * f0 + a1 * f1 + a2 * f2, dwb + j);
                        var A0 = a0 * vs;
                        var A1 = a1 * vs;
                        var A2 = a2 * vs;
                        for (int r = rLo; r <= rHi; r++)
                        {
                            T* row = dc0 + r * Out + j;
                            var update = A0 * B[r];
                            if (order >= 1) update += A1 * B[stride + r];
                            if (order >= 2) update += A2 * B[2 * stride + r];
                            Vector.Store(Vector.Load(row) + update, row);
                        }
                    }
                    for (; j < Out; j++)
                    {
                        T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
                        for (int r = rLo; r <= rHi; r++)
                        {
                            T c = c0[r * Out + j];
                            s0 += c * B[r];
                            s1 += c * B[stride + r];
                            if (order >= 1) s2 += c * B[2 * stride + r];
                            if (order >= 2) s3 += c * B[3 * stride + r];
                        }
                        T a0 = gv[j], a1 = T.Zero, a2 = T.Zero;
                        if (isInput)
                        {
                            if (order >= 1) a1 = gg[i * Out + j];
                            if (order >= 2) a2 = gs[i * Out + j];
                        }
                        else if (order >= 1)
                        {
                            for (int d = 0; d < D; d++)
                            {
                                a1 += gg[d * Out + j] * g[d];
                                if (order >= 2)
                                {
                                    T gsd = gs[d * Out + j];
                                    a1 += gsd * s[d];
                                    a2 += gsd * (g[d] * g[d]);
                                }
                            }
                        }
                        T phi1 = ws[j] * s1 + wb[j] * f1;
                        T phi2 = order >= 1 ? ws[j] * s2 + wb[j] * f2 : T.Zero;
                        T phi3 = order >= 2 ? ws[j] * s3 + wb[j] * f3 : T.Zero;
                        if (wantX) accX += a0 * phi1 + a1 * phi2 + a2 * phi3;
                        if (wantJet)
                            for (int d = 0; d < D; d++)
                            {
                                T ggd = gg[d * Out + j];
                                if (order >= 2)
                                {
                                    T gsd = gs[d * Out + j];
                                    accG[d] += ggd * phi1 + gsd * phi2 * (Two * g[d]);
                                    accS[d] += gsd * phi1;
                                }
                                else accG[d] += ggd * phi1;
                            }
                        dws[j] += a0 * s0 + a1 * s1 + a2 * s2;
                        dwb[j] += a0 * f0 + a1 * f1 + a2 * f2;
                        T A0 = a0 * ws[j], A1 = a1 * ws[j], A2 = a2 * ws[j];
                        for (int r = rLo; r <= rHi; r++)
                        {
                            T update = A0 * B[r];
                            if (order >= 1) update += A1 * B[stride + r];
                            if (order >= 2) update += A2 * B[2 * stride + r];
                            dc0[r * Out + j] += update;
                        }
                    }
                    if (wantX) DX[p * In + i] = accX + Vector.Sum(vx);
                    if (wantJet)
                        for (int d = 0; d < D; d++)
                        {
                            DG[(p * D + d) * In + i] = accG[d] + Vector.Sum(vAccG[d]);
                            if (order >= 2) DS[(p * D + d) * In + i] = accS[d] + Vector.Sum(vAccS[d]);
                        }
                }
            }
        }
    }
}
