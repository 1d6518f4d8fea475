using System.Runtime.InteropServices;

namespace Kan.Pde.Runner.Bench;

/// <summary>
/// Peak GPU memory in use while a configuration runs, sampled through NVML (the driver's management library) every
/// few milliseconds. TorchSharp does not expose the caching allocator's statistics; NVML sees what the process holds
/// on the device, including blocks the allocator keeps cached for reuse, so the figure is an upper bound of what the
/// configuration itself needed, and cached blocks from earlier configurations count too.
/// </summary>
internal sealed class GpuMemory : IDisposable
{
    private readonly nint _device;
    private readonly Thread? _sampler;
    private volatile bool _stop;
    private long _peakBytes;

    private GpuMemory(nint device)
    {
        _device = device;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "gpu-memory" };
        _sampler.Start();
    }

    /// <summary>Starts sampling device <paramref name="index"/>; null when NVML is unavailable.</summary>
    public static GpuMemory? Start(int index)
    {
        try
        {
            if (nvmlInit_v2() != 0) return null;
            if (nvmlDeviceGetHandleByIndex_v2((uint)index, out var device) != 0) return null;
            return new GpuMemory(device);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    /// <summary>The device's name as the driver reports it, or null.</summary>
    public static string? Name(int index)
    {
        try
        {
            if (nvmlInit_v2() != 0 || nvmlDeviceGetHandleByIndex_v2((uint)index, out var device) != 0) return null;
            var buffer = new byte[96];
            return nvmlDeviceGetName(device, buffer, (uint)buffer.Length) == 0
                ? System.Text.Encoding.ASCII.GetString(buffer).TrimEnd('\0')
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    /// <summary>Highest sampled memory in use, MiB.</summary>
    public double PeakMiB => Interlocked.Read(ref _peakBytes) / 1048576.0;

    private void Sample()
    {
        while (!_stop)
        {
            if (nvmlDeviceGetMemoryInfo(_device, out var info) == 0)
            {
                long used = (long)info.Used;
                long seen;
                while (used > (seen = Interlocked.Read(ref _peakBytes)) && Interlocked.CompareExchange(ref _peakBytes, used, seen) != seen) { }
            }
            Thread.Sleep(2);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop = true;
        _sampler?.Join();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total, Free, Used;
    }

    [DllImport("libnvidia-ml.so.1")]
    private static extern int nvmlInit_v2();

    [DllImport("libnvidia-ml.so.1")]
    private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out nint device);

    [DllImport("libnvidia-ml.so.1")]
    private static extern int nvmlDeviceGetMemoryInfo(nint device, out MemoryInfo info);

    [DllImport("libnvidia-ml.so.1")]
    private static extern int nvmlDeviceGetName(nint device, byte[] name, uint length);
}
