using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using PolyStream.Protocol;

namespace PolyStream.Books;

/// <summary>
/// Computes the venue's order-book hash (POLYMARKET.md §3): SHA-1 over compact JSON of the summary
/// with <c>hash</c> blanked, keys in the Go server's struct order, values in the server's own text.
/// </summary>
/// <remarks>The JSON is written straight into a stack or pooled buffer; nothing is allocated.</remarks>
internal static class BookHasher
{
    private const int StackLimit = 16 * 1024;

    // A level is {"price":"…","size":"…"} plus a comma: 25 bytes of syntax and two decimals.
    private const int MaxLevelBytes = 26 + (2 * ExactDecimal.MaxFormattedLength);

    // One SHA-1 context per thread, kept: a one-shot hash creates and frees a native context on every call,
    // a fixed cost near that of hashing a small book itself. The threads that hash (connection readers, shard
    // loops, the bus sink, an export) live long, so each reuses its context for every book it hashes.
    [ThreadStatic]
    private static IncrementalHash? t_sha1;

    // The buffer is fully written before it is read, so zeroing it would be wasted work on the hot path.
    [SkipLocalsInit]
    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "SHA-1 is the venue's book-hash algorithm; it checks integrity, not secrecy.")]
    public static BookHash Compute(in SummaryFields summary, BookHashVersion version)
    {
        var capacity = 256
            + Encoding.UTF8.GetMaxByteCount(summary.Market.Length + summary.AssetId.Length)
            + MaxLevelsBytes(summary.Bids.Length) + MaxLevelsBytes(summary.Asks.Length)
            + (4 * ExactDecimal.MaxFormattedLength);
        byte[]? rented = null;
        var buffer = capacity <= StackLimit
            ? stackalloc byte[capacity]
            : (rented = ArrayPool<byte>.Shared.Rent(capacity));
        try
        {
            var length = Write(summary, version, buffer);
            Span<byte> digest = stackalloc byte[BookHash.ByteLength];
            var sha1 = t_sha1 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            sha1.AppendData(buffer[..length]);
            sha1.GetHashAndReset(digest);
            return BookHash.FromDigest(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Writes the exact text the venue hashes and returns its length; public for tests and diagnostics.</summary>
    public static int Write(in SummaryFields summary, BookHashVersion version, Span<byte> buffer)
    {
        var writer = new SpanWriter(buffer);
        writer.Append("{\"market\":\""u8);
        writer.AppendText(summary.Market);
        writer.Append("\",\"asset_id\":\""u8);
        writer.AppendText(summary.AssetId);
        writer.Append("\",\"timestamp\":\""u8);
        if (summary.Timestamp is { } timestamp)
        {
            writer.AppendInteger(timestamp);
        }

        writer.Append("\",\"hash\":\"\",\"bids\":"u8);
        WriteSide(ref writer, summary.Bids, summary.BidsText);
        writer.Append(",\"asks\":"u8);
        WriteSide(ref writer, summary.Asks, summary.AsksText);
        if (version != BookHashVersion.V6)
        {
            writer.Append(",\"min_order_size\":\""u8);
            writer.AppendDecimal(summary.MinOrderSize);
            writer.Append("\",\"tick_size\":\""u8);
            writer.AppendDecimal(summary.TickSize);
            writer.Append(summary.NegRisk ? "\",\"neg_risk\":true"u8 : "\",\"neg_risk\":false"u8);
            if (version == BookHashVersion.Current)
            {
                writer.Append(",\"last_trade_price\":\""u8);
                if (summary.LastTradePrice is { } lastTradePrice)
                {
                    writer.AppendDecimal(lastTradePrice);
                }

                writer.Append("\""u8);
            }
        }

        writer.Append("}"u8);
        return writer.Length;
    }

    /// <summary>The most bytes <see cref="WriteLevels(ReadOnlySpan{PriceLevel}, Span{byte})"/> writes for <paramref name="count"/> levels.</summary>
    public static int MaxLevelsBytes(int count) => 2 + (count * MaxLevelBytes);

    /// <summary>Writes one side as the JSON array the venue hashes and returns its length.</summary>
    public static int WriteLevels(ReadOnlySpan<PriceLevel> levels, Span<byte> buffer)
    {
        var writer = new SpanWriter(buffer);
        WriteLevels(ref writer, levels);
        return writer.Length;
    }

    private static void WriteSide(ref SpanWriter writer, ReadOnlySpan<PriceLevel> levels, ReadOnlySpan<byte> rendered)
    {
        // Rendered text is never empty (an empty side is "[]"), so empty means "render it here".
        if (rendered.IsEmpty)
        {
            WriteLevels(ref writer, levels);
        }
        else
        {
            writer.Append(rendered);
        }
    }

    private static void WriteLevels(ref SpanWriter writer, ReadOnlySpan<PriceLevel> levels)
    {
        writer.Append("["u8);
        for (var i = 0; i < levels.Length; i++)
        {
            writer.Append(i == 0 ? "{\"price\":\""u8 : ",{\"price\":\""u8);
            writer.AppendDecimal(levels[i].Price);
            writer.Append("\",\"size\":\""u8);
            writer.AppendDecimal(levels[i].Size);
            writer.Append("\"}"u8);
        }

        writer.Append("]"u8);
    }

    /// <summary>Appends UTF-8 into a span whose capacity the caller has already bounded.</summary>
    private ref struct SpanWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Length { get; private set; }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[Length..]);
            Length += bytes.Length;
        }

        public void AppendText(string text) => Length += Encoding.UTF8.GetBytes(text, _buffer[Length..]);

        public void AppendDecimal(ExactDecimal value)
        {
            value.TryFormat(_buffer[Length..], out var written);
            Length += written;
        }

        public void AppendInteger(long value)
        {
            Utf8Formatter.TryFormat(value, _buffer[Length..], out var written);
            Length += written;
        }
    }
}
