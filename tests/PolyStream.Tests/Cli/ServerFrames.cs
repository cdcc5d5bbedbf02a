using System.Buffers.Binary;

namespace PolyStream.Tests.Cli;

/// <summary>Reads back what the bench's frame server writes: unmasked WebSocket frames, back to back.</summary>
internal static class ServerFrames
{
    /// <summary>The payload of each frame in <paramref name="wire"/>: after its two bytes and the 2 or 8 of an extended length.</summary>
    public static IEnumerable<byte[]> Payloads(byte[] wire)
    {
        var at = 0;
        while (at < wire.Length)
        {
            var (header, length) = (wire[at + 1] & 0x7F) switch
            {
                126 => (4, (long)BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(at + 2))),
                127 => (10, (long)BinaryPrimitives.ReadUInt64BigEndian(wire.AsSpan(at + 2))),
                var small => (2, (long)small),
            };
            yield return wire[(at + header)..(at + header + (int)length)];
            at += header + (int)length;
        }
    }
}
