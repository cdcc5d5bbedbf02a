using System.Text.Unicode;
using PolyStream.Protocol;

namespace PolyStream.Cli.Output;

/// <summary>A text line built as UTF-8 in a span the caller sized for it.</summary>
internal ref struct Utf8Line(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;

    /// <summary>The bytes written so far.</summary>
    public int Length { get; private set; }

    public void Append(scoped ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(_buffer[Length..]);
        Length += utf8.Length;
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        Utf8.FromUtf16(text, _buffer[Length..], out _, out var written);
        Length += written;
    }

    public void Append(long number)
    {
        number.TryFormat(_buffer[Length..], out var written);
        Length += written;
    }

    public void Append(ExactDecimal number)
    {
        number.TryFormat(_buffer[Length..], out var written);
        Length += written;
    }

    /// <summary>The number, or <c>-</c> when there is none.</summary>
    public void Append(ExactDecimal? number)
    {
        if (number is { } value)
        {
            Append(value);
        }
        else
        {
            Append("-"u8);
        }
    }

    /// <summary>The 40 lowercase hex digits of the hash, nothing when there is none (as <see cref="BookHash.ToString"/>).</summary>
    public void Append(BookHash hash)
    {
        if (!hash.HasValue)
        {
            return;
        }

        Span<byte> digest = stackalloc byte[BookHash.ByteLength];
        hash.CopyTo(digest);
        Convert.TryToHexStringLower(digest, _buffer[Length..], out var written);
        Length += written;
    }

    /// <summary>The member's name (<c>Synced</c>, <c>Buy</c>), formatted without boxing.</summary>
    public void AppendName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        Span<char> name = stackalloc char[64];
        Enum.TryFormat(value, name, out var written);
        Append(name[..written]);
    }
}
