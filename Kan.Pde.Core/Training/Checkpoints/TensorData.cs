using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Kan.Pde.Core.Training.Checkpoints;

/// <summary>
/// A tensor's exact contents as plain data (element type, shape, raw little-endian bytes), detached from any
/// device, so training state can be kept in memory or written to a file and restored bit for bit.
/// </summary>
/// <param name="DType">Element type: Float64, Float32, Int64 or Byte.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Bytes">Elements in row-major order.</param>
public sealed record TensorData(ScalarType DType, long[] Shape, byte[] Bytes)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Bytes per element of <paramref name="dtype"/>; throws for types that training state never holds.</summary>
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 => 4,
        ScalarType.Byte => 1,
        _ => throw new NotSupportedException($"tensors of type {dtype} are not part of training state"),
    };

    /// <summary>Copies <paramref name="tensor"/> (any device) into plain data.</summary>
    public static TensorData From(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cpu = tensor.detach().to(CPU).contiguous();
        byte[] bytes = cpu.dtype switch
        {
            ScalarType.Float64 => MemoryMarshal.AsBytes<double>(cpu.data<double>().ToArray()).ToArray(),
            ScalarType.Float32 => MemoryMarshal.AsBytes<float>(cpu.data<float>().ToArray()).ToArray(),
            ScalarType.Int64 => MemoryMarshal.AsBytes<long>(cpu.data<long>().ToArray()).ToArray(),
            ScalarType.Byte => cpu.data<byte>().ToArray(),
            _ => throw new NotSupportedException($"tensors of type {cpu.dtype} are not part of training state"),
        };
        return new TensorData(cpu.dtype, cpu.shape.ToArray(), bytes);
    }

    /// <summary>A float64 vector held in host memory (e.g. an L-BFGS curvature vector).</summary>
    public static TensorData FromVector(double[] vector) =>
        new(ScalarType.Float64, new long[] { vector.Length }, MemoryMarshal.AsBytes<double>(vector).ToArray());

    /// <summary>The contents of a float64 vector as a new host array.</summary>
    public double[] ToVector()
    {
        Validate("vector");
        if (DType != ScalarType.Float64 || Shape.Length != 1) throw new InvalidDataException($"expected a float64 vector, got {DType} [{string.Join(", ", Shape)}]");
        return MemoryMarshal.Cast<byte, double>(Bytes).ToArray();
    }

    /// <summary>Checks that the byte count matches type and shape.</summary>
    public void Validate(string what)
    {
        if (Shape.Any(d => d < 0)) throw new InvalidDataException($"{what}: negative dimension in [{string.Join(", ", Shape)}]");
        if (Bytes.LongLength != ElementCount * ElementSize(DType))
            throw new InvalidDataException($"{what}: {Bytes.LongLength} bytes for {ElementCount} elements of {DType}");
    }

    /// <summary>A new tensor with these contents on <paramref name="device"/>.</summary>
    public Tensor ToTensor(Device? device = null)
    {
        Validate("tensor");
        Tensor cpu = DType switch
        {
            ScalarType.Float64 => tensor(MemoryMarshal.Cast<byte, double>(Bytes).ToArray(), Shape, ScalarType.Float64),
            ScalarType.Float32 => tensor(MemoryMarshal.Cast<byte, float>(Bytes).ToArray(), Shape, ScalarType.Float32),
            ScalarType.Int64 => tensor(MemoryMarshal.Cast<byte, long>(Bytes).ToArray(), Shape, ScalarType.Int64),
            ScalarType.Byte => tensor(Bytes, Shape, ScalarType.Byte),
            _ => throw new NotSupportedException($"tensors of type {DType} are not part of training state"),
        };
        // torch.tensor over a managed array may keep the array's memory, which is aligned differently from torch's
        // own allocations; BLAS kernels then round differently (seen: last-bit differences in L-BFGS dot products of
        // restored vectors). A copy into torch-owned memory makes restored tensors behave like the originals.
        using (cpu) return device is null || device.type == DeviceType.CPU ? cpu.clone() : cpu.to(device);
    }

    /// <summary>True when both hold the same type, shape and bytes.</summary>
    public bool SameAs(TensorData other) =>
        DType == other.DType && Shape.SequenceEqual(other.Shape) && Bytes.AsSpan().SequenceEqual(other.Bytes);
}
