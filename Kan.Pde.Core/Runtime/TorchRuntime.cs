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
/// </list>
/// </remarks>
public static class TorchRuntime
{
    private const int M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3, M_MMAP_MAX = -4;
    private static bool _configured;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

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
                }
                catch (DllNotFoundException) { }
                catch (EntryPointNotFoundException) { }
            }
        }
        if (threads is int n && n > 0) set_num_threads(n);
    }
}
