using System.Buffers.Text;
using System.Diagnostics;

namespace PolyStream.Protocol;

/// <summary>
/// A non-negative base-10 number exactly as the venue wrote it: digits and scale are kept, so
/// <c>"0.850"</c> and <c>"0.85"</c> are different values that format back to their own text.
/// </summary>
/// <remarks>
/// The book hash is computed over the server's decimal strings, so a price or size must be
/// reproducible byte for byte. This type stores a 59-bit mantissa and a scale in one 64-bit word
/// (17 significant digits, up to 18 decimals), which keeps a price level at 16 bytes and makes
/// parsing, comparing and formatting allocation-free. Equality is representational; use
/// <see cref="CompareTo"/> for numeric order.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct ExactDecimal : IEquatable<ExactDecimal>, IComparable<ExactDecimal>
{
    /// <summary>The largest number of decimal places accepted.</summary>
    public const int MaxScale = 18;

    /// <summary>The largest number of significant digits accepted.</summary>
    public const int MaxDigits = 17;

    /// <summary>The longest text a value formats to: 17 digits, a point and a leading zero pad.</summary>
    public const int MaxFormattedLength = MaxScale + MaxDigits + 2;

    private const int ScaleBits = 5;
    private const long ScaleMask = (1L << ScaleBits) - 1;
    private const long MaxMantissa = 99_999_999_999_999_999L;

    private static readonly long[] s_powersOfTen = BuildPowersOfTen();

    private readonly long _bits;

    private ExactDecimal(long mantissa, int scale)
    {
        Debug.Assert(mantissa is >= 0 and <= MaxMantissa && scale is >= 0 and <= MaxScale);
        _bits = (mantissa << ScaleBits) | (uint)scale;
    }

    /// <summary>The value zero, written <c>"0"</c>.</summary>
    public static ExactDecimal Zero => default;

    /// <summary>The value one, written <c>"1"</c>.</summary>
    public static ExactDecimal One { get; } = new(1, 0);

    /// <summary>The digits without the decimal point: <c>"0.850"</c> has mantissa 850.</summary>
    public long Mantissa => _bits >> ScaleBits;

    /// <summary>The number of digits after the decimal point: <c>"0.850"</c> has scale 3.</summary>
    public int Scale => (int)(_bits & ScaleMask);

    /// <summary>Whether the value is numerically zero (<c>"0"</c>, <c>"0.00"</c>, ...).</summary>
    public bool IsZero => Mantissa == 0;

    /// <summary>Creates a value from its mantissa and scale; <c>(85, 2)</c> is <c>"0.85"</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The mantissa is negative or too long, or the scale is out of range.</exception>
    public static ExactDecimal FromParts(long mantissa, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mantissa);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mantissa, MaxMantissa);
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scale, MaxScale);
        return new ExactDecimal(mantissa, scale);
    }

    /// <summary>Converts a <see cref="decimal"/>, keeping its scale (<c>0.850m</c> stays <c>"0.850"</c>).</summary>
    /// <exception cref="OverflowException">The value is negative or has more digits than this type holds.</exception>
    public static ExactDecimal FromDecimal(decimal value)
    {
        if (value < 0)
        {
            throw new OverflowException("ExactDecimal holds non-negative values only.");
        }

        Span<int> parts = stackalloc int[4];
        decimal.GetBits(value, parts);
        var scale = (parts[3] >> 16) & 0xFF;
        var mantissa = new UInt128((ulong)(uint)parts[2], ((ulong)(uint)parts[1] << 32) | (uint)parts[0]);
        if (mantissa > MaxMantissa || scale > MaxScale)
        {
            throw new OverflowException($"{value} has more digits than ExactDecimal holds.");
        }

        return new ExactDecimal((long)mantissa, scale);
    }

    /// <summary>
    /// Parses the venue's decimal text: digits, optionally a point and more digits, no sign,
    /// exponent or superfluous leading zero. Returns <see langword="false"/> for anything else.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ExactDecimal value)
    {
        value = default;
        if (utf8.IsEmpty || utf8.Length > MaxFormattedLength)
        {
            return false;
        }

        long mantissa = 0;
        var digits = 0;
        var scale = -1;
        for (var i = 0; i < utf8.Length; i++)
        {
            var c = utf8[i];
            if (c == (byte)'.')
            {
                // One point, with digits on both sides.
                if (scale >= 0 || i == 0 || i == utf8.Length - 1)
                {
                    return false;
                }

                scale = 0;
                continue;
            }

            var digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            // "05" would format back as "5"; the venue never writes it, so reject to stay round-trippable.
            if (i == 1 && utf8[0] == (byte)'0' && scale < 0)
            {
                return false;
            }

            if (mantissa != 0 || digit != 0)
            {
                if (++digits > MaxDigits)
                {
                    return false;
                }
            }

            mantissa = (mantissa * 10) + digit;
            if (scale >= 0 && ++scale > MaxScale)
            {
                return false;
            }
        }

        value = new ExactDecimal(mantissa, Math.Max(scale, 0));
        return true;
    }

    /// <summary>Parses decimal text as <see cref="TryParse(ReadOnlySpan{byte}, out ExactDecimal)"/> does.</summary>
    /// <exception cref="FormatException">The text is not a plain non-negative decimal.</exception>
    public static ExactDecimal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> utf8 = stackalloc byte[MaxFormattedLength + 1];
        if (text.Length > MaxFormattedLength
            || !System.Text.Unicode.Utf8.FromUtf16(text, utf8, out _, out var written).Equals(System.Buffers.OperationStatus.Done)
            || !TryParse(utf8[..written], out var value))
        {
            throw new FormatException($"'{text}' is not a plain non-negative decimal.");
        }

        return value;
    }

    /// <summary>Writes the exact text of the value as UTF-8; <see langword="false"/> when the buffer is too small.</summary>
    public bool TryFormat(Span<byte> destination, out int bytesWritten)
    {
        var scale = Scale;
        var mantissa = Mantissa;
        if (scale == 0)
        {
            return Utf8Formatter.TryFormat(mantissa, destination, out bytesWritten);
        }

        var power = s_powersOfTen[scale];
        var integer = mantissa / power;
        var fraction = mantissa - (integer * power);
        bytesWritten = 0;
        if (!Utf8Formatter.TryFormat(integer, destination, out var integerLength)
            || destination.Length < integerLength + 1 + scale)
        {
            return false;
        }

        destination[integerLength] = (byte)'.';
        var fractionSpan = destination.Slice(integerLength + 1, scale);
        for (var i = scale - 1; i >= 0; i--)
        {
            fractionSpan[i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        bytesWritten = integerLength + 1 + scale;
        return true;
    }

    /// <summary>Returns the exact text of the value, e.g. <c>"0.850"</c>.</summary>
    public override string ToString()
    {
        Span<byte> buffer = stackalloc byte[MaxFormattedLength];
        TryFormat(buffer, out var written);
        return System.Text.Encoding.ASCII.GetString(buffer[..written]);
    }

    /// <summary>Converts to <see cref="decimal"/>, keeping the scale.</summary>
    public decimal ToDecimal() => new((int)Mantissa, (int)(Mantissa >> 32), 0, false, (byte)Scale);

    /// <summary>Returns the same number in its shortest form: <c>"0.850"</c> becomes <c>"0.85"</c>, <c>"2.0"</c> becomes <c>"2"</c>.</summary>
    public ExactDecimal Normalize()
    {
        var mantissa = Mantissa;
        var scale = Scale;
        if (mantissa == 0)
        {
            return Zero;
        }

        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }

        return new ExactDecimal(mantissa, scale);
    }

    /// <summary>Returns the same number written with at least <paramref name="scale"/> decimals (<c>"0.5"</c> at 3 is <c>"0.500"</c>).</summary>
    /// <exception cref="OverflowException">The padded value has more digits than this type holds.</exception>
    public ExactDecimal WithMinimumScale(int scale)
    {
        var current = Scale;
        if (current >= scale)
        {
            return this;
        }

        var mantissa = Mantissa * s_powersOfTen[scale - current];
        return mantissa > MaxMantissa
            ? throw new OverflowException($"{this} padded to {scale} decimals is too long.")
            : new ExactDecimal(mantissa, scale);
    }

    /// <summary>Returns <c>1 − this</c> at the same scale, the mirror price of the complementary token; requires a value in [0, 1].</summary>
    /// <exception cref="InvalidOperationException">The value is greater than one.</exception>
    public ExactDecimal OneMinus()
    {
        var scale = Scale;
        var one = s_powersOfTen[scale];
        var mantissa = Mantissa;
        return mantissa > one
            ? throw new InvalidOperationException($"{this} is above 1 and has no complement price.")
            : new ExactDecimal(one - mantissa, scale);
    }

    /// <summary>Compares numerically, ignoring scale: <c>"0.5"</c> equals <c>"0.50"</c> here.</summary>
    public int CompareTo(ExactDecimal other)
    {
        var (left, right) = (Mantissa, other.Mantissa);
        var (leftScale, rightScale) = (Scale, other.Scale);
        if (leftScale == rightScale)
        {
            return left.CompareTo(right);
        }

        // Widen to 128 bits: 17 digits times up to 10^18 does not fit in 64.
        Int128 a = left;
        Int128 b = right;
        if (leftScale < rightScale)
        {
            a *= s_powersOfTen[rightScale - leftScale];
        }
        else
        {
            b *= s_powersOfTen[leftScale - rightScale];
        }

        return a.CompareTo(b);
    }

    /// <summary>Whether both values have the same digits and the same scale.</summary>
    public bool Equals(ExactDecimal other) => _bits == other._bits;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ExactDecimal other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bits.GetHashCode();

    /// <summary>Whether both values have the same digits and the same scale.</summary>
    public static bool operator ==(ExactDecimal left, ExactDecimal right) => left.Equals(right);

    /// <summary>Whether the values differ in digits or scale.</summary>
    public static bool operator !=(ExactDecimal left, ExactDecimal right) => !left.Equals(right);

    /// <summary>Numeric less-than.</summary>
    public static bool operator <(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) < 0;

    /// <summary>Numeric greater-than.</summary>
    public static bool operator >(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) > 0;

    /// <summary>Numeric less-than-or-equal.</summary>
    public static bool operator <=(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) <= 0;

    /// <summary>Numeric greater-than-or-equal.</summary>
    public static bool operator >=(ExactDecimal left, ExactDecimal right) => left.CompareTo(right) >= 0;

    /// <summary>The value scaled to billionths, the book's sort key for prices in [0, 1]; -1 when it does not fit.</summary>
    internal int ToPriceKey()
    {
        var scale = Scale;
        if (scale > 9)
        {
            return -1;
        }

        // Compared before multiplying: a huge mantissa times the power of ten would wrap around into [0, 1].
        var power = s_powersOfTen[9 - scale];
        return Mantissa <= 1_000_000_000 / power ? (int)(Mantissa * power) : -1;
    }

    private static long[] BuildPowersOfTen()
    {
        var powers = new long[MaxScale + 1];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
