using System.Buffers.Binary;
using System.Diagnostics;

namespace PolyStream.Protocol;

/// <summary>
/// The venue's order-book hash: a SHA-1 digest, written on the wire as 40 lowercase hex digits.
/// Kept as 20 raw bytes so comparing a computed hash with a received one allocates nothing.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct BookHash : IEquatable<BookHash>
{
    /// <summary>The number of bytes in a SHA-1 digest.</summary>
    public const int ByteLength = 20;

    /// <summary>The number of hex digits on the wire.</summary>
    public const int HexLength = 40;

    private readonly ulong _first;
    private readonly ulong _second;
    private readonly uint _third;
    private readonly bool _hasValue;

    private BookHash(ReadOnlySpan<byte> digest)
    {
        _first = BinaryPrimitives.ReadUInt64BigEndian(digest);
        _second = BinaryPrimitives.ReadUInt64BigEndian(digest[8..]);
        _third = BinaryPrimitives.ReadUInt32BigEndian(digest[16..]);
        _hasValue = true;
    }

    /// <summary>Whether a hash is present; <see langword="false"/> for the default value (no hash sent).</summary>
    public bool HasValue => _hasValue;

    /// <summary>Creates a hash from a 20-byte SHA-1 digest.</summary>
    /// <exception cref="ArgumentException">The digest is not 20 bytes long.</exception>
    public static BookHash FromDigest(ReadOnlySpan<byte> digest)
    {
        return digest.Length != ByteLength
            ? throw new ArgumentException($"A SHA-1 digest has {ByteLength} bytes, not {digest.Length}.", nameof(digest))
            : new BookHash(digest);
    }

    /// <summary>Parses 40 hex digits (either case, no <c>0x</c>); <see langword="false"/> for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Hex, out BookHash hash)
    {
        hash = default;
        if (utf8Hex.Length != HexLength)
        {
            return false;
        }

        // The runtime's hex decoder is vectorised and accepts either case.
        Span<byte> digest = stackalloc byte[ByteLength];
        if (Convert.FromHexString(utf8Hex, digest, out _, out var written) != System.Buffers.OperationStatus.Done || written != ByteLength)
        {
            return false;
        }

        hash = new BookHash(digest);
        return true;
    }

    /// <summary>Parses 40 hex digits.</summary>
    /// <exception cref="FormatException">The text is not 40 hex digits.</exception>
    public static BookHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        Span<byte> utf8 = stackalloc byte[HexLength];
        if (hex.Length != HexLength || System.Text.Encoding.ASCII.GetBytes(hex, utf8) != HexLength || !TryParse(utf8, out var hash))
        {
            throw new FormatException($"'{hex}' is not a 40-digit hex SHA-1 hash.");
        }

        return hash;
    }

    /// <summary>Writes the 20 digest bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _first);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _second);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _third);
    }

    /// <summary>Returns the 40 lowercase hex digits, or an empty string when there is no hash.</summary>
    public override string ToString()
    {
        if (!_hasValue)
        {
            return string.Empty;
        }

        Span<byte> digest = stackalloc byte[ByteLength];
        CopyTo(digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <inheritdoc />
    public bool Equals(BookHash other) =>
        _first == other._first && _second == other._second && _third == other._third && _hasValue == other._hasValue;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BookHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_first, _second, _third);

    /// <summary>Whether both hold the same digest.</summary>
    public static bool operator ==(BookHash left, BookHash right) => left.Equals(right);

    /// <summary>Whether the digests differ.</summary>
    public static bool operator !=(BookHash left, BookHash right) => !left.Equals(right);
}
