using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Runtime;

/// <summary>
/// Process-wide settings for libtorch on the CPU, applied once before the first tensor is made.
/// </summary>
/// <remarks>
/// A native default hurts PINN training on Linux:
/// <list type="bullet">
/// <item>glibc returns every large freed block to the kernel (mmap/munmap, heap trimming), so each training
/// step page-faults its multi-megabyte temporaries back in. Measured on 2 cores, KAN [2,10,1] at 10k points:
/// 90–160 ms per forward-mode loss + gradient with the defaults, 29–31 ms with freed blocks kept in the heap;
/// at G = 20 (temporaries over 32 MiB, which glibc always maps separately unless mmap is off) 410 ms → 62 ms.
/// <c>mallopt</c> sets that at run time: no mmap for blocks, no trimming below 1 GiB.</item>
/// <item>libgomp's worker threads busy-wait after every parallel region (OMP_WAIT_POLICY unset). Between libtorch's
/// parallel operations run the fused host kernels and the optimizer, and on 2 cores a spinning worker takes a core
/// from them: a profile of the tutorial solve showed 20% of all samples spinning in libgomp. The policy is read when
/// libtorch loads, so it is set (unless the user set it) before the first tensor operation.</item>
/// </list>
/// </remarks>
public static class TorchRuntime
{
    private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3, M_MMAP_MAX = -4;
    private static bool _configured;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

    /// <summary>Applies the settings (idempotent) and sets the intra-op thread count when given.</summary>
    public static void Configure(int? threads = null)
    {
        if (!_configured)
        {
            _configured = true;
            if (OperatingSystem.IsLinux())
            {
                try
                {
                    MallOpt(M_MMAP_THRESHOLD, 32 << 20);
                    MallOpt(M_MMAP_MAX, 0);
                    MallOpt(M_TRIM_THRESHOLD, 1 << 30);
                    SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
                }
                catch (DllNotFoundException) { }
                catch (EntryPointNotFoundException) { }
            }
        }
        if (threads is int n && n > 0) set_num_threads(n);
    }
}
