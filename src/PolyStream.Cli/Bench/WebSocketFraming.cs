using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PolyStream.Cli.Bench;

/// <summary>
/// The little of RFC 6455 the bench's frame server speaks: the upgrade answer, unmasked server text frames
/// (encoded once, sent from memory), and masked client frames read off a stream.
/// </summary>
internal static class WebSocketFraming
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const byte FinText = 0x81;
    private const byte FinClose = 0x88;

    /// <summary>The opcode of a text frame.</summary>
    public const int TextOpcode = 1;

    /// <summary>The opcode of a close frame.</summary>
    public const int CloseOpcode = 8;

    /// <summary>A server's <c>PONG</c> text frame.</summary>
    public static byte[] Pong { get; } = Text("PONG"u8);

    /// <summary>A server's close frame without a status.</summary>
    public static byte[] Close { get; } = [FinClose, 0];

    /// <summary>One unmasked text frame (a server's) carrying <paramref name="payload"/>.</summary>
    public static byte[] Text(ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + payload.Length];
        frame[0] = FinText;
        if (header == 2)
        {
            frame[1] = (byte)payload.Length;
        }
        else if (header == 4)
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    /// <summary>
    /// Reads an HTTP upgrade request off <paramref name="stream"/> and answers it with 101; <see langword="false"/>
    /// when the request is not a WebSocket upgrade (or the peer went away).
    /// </summary>
    public static bool Accept(Stream stream)
    {
        var request = new StringBuilder();
        var one = new byte[1];
        while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (stream.Read(one) == 0 || request.Length > 16 * 1024)
            {
                return false;
            }

            request.Append((char)one[0]);
        }

        const string KeyHeader = "sec-websocket-key:";
        var line = request.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith(KeyHeader, StringComparison.OrdinalIgnoreCase));
        if (line is null)
        {
            return false;
        }

#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the handshake; it protects nothing.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(line[KeyHeader.Length..].Trim() + AcceptGuid)));
#pragma warning restore CA5350
        stream.Write(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        return true;
    }

    /// <summary>
    /// Reads one client frame and unmasks its payload into <paramref name="buffer"/> (grown as needed); <see langword="false"/>
    /// at the end of the stream. The bench's client sends whole messages, one frame each.
    /// </summary>
    public static bool TryRead(Stream stream, ref byte[] buffer, out int opcode, out int length)
    {
        Span<byte> head = stackalloc byte[8];
        opcode = 0;
        length = 0;
        if (!Fill(stream, head[..2]))
        {
            return false;
        }

        opcode = head[0] & 0x0F;
        var masked = (head[1] & 0x80) != 0;
        long size = head[1] & 0x7F;
        if (size == 126)
        {
            if (!Fill(stream, head[..2]))
            {
                return false;
            }

            size = BinaryPrimitives.ReadUInt16BigEndian(head);
        }
        else if (size == 127)
        {
            if (!Fill(stream, head))
            {
                return false;
            }

            size = (long)BinaryPrimitives.ReadUInt64BigEndian(head);
        }

        if (size > 16 * 1024 * 1024)
        {
            throw new IOException($"A client frame of {size} bytes is more than the bench's client ever sends.");
        }

        Span<byte> mask = stackalloc byte[4];
        if (masked && !Fill(stream, mask))
        {
            return false;
        }

        length = (int)size;
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        if (!Fill(stream, buffer.AsSpan(0, length)))
        {
            return false;
        }

        if (masked)
        {
            for (var i = 0; i < length; i++)
            {
                buffer[i] ^= mask[i & 3];
            }
        }

        return true;
    }

    private static bool Fill(Stream stream, Span<byte> target)
    {
        while (target.Length > 0)
        {
            var read = stream.Read(target);
            if (read == 0)
            {
                return false;
            }

            target = target[read..];
        }

        return true;
    }
}
