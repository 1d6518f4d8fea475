using System.Buffers.Binary;

namespace Kan.Pde.Tests.Results;

/// <summary>Reads the pixel size from a PNG file's IHDR chunk, which the format requires to come first.</summary>
internal static class PngHeader
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) ReadSize(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[24];
        stream.ReadExactly(head);
        if (!head[..8].SequenceEqual(Signature)) throw new InvalidDataException($"{path} does not start with the PNG signature.");
        // Bytes 8..15: chunk length and type of the first chunk; then width and height, big-endian.
        if (!head.Slice(12, 4).SequenceEqual("IHDR"u8)) throw new InvalidDataException($"{path}: first chunk is not IHDR.");
        return (BinaryPrimitives.ReadInt32BigEndian(head.Slice(16, 4)), BinaryPrimitives.ReadInt32BigEndian(head.Slice(20, 4)));
    }
}
