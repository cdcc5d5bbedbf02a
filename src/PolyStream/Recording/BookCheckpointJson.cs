using System.Buffers.Text;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Recording;

/// <summary>
/// One book with its <c>(Epoch, Seq)</c> as a JSON object: every hashed field, decimals as the venue's
/// strings so the book hashes as before. Checkpoint files and the NATS snapshots share this layout.
/// </summary>
internal static class BookCheckpointJson
{
    /// <summary>Writes one book as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, BookCheckpoint book)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(book);
        var summary = book.Summary;
        writer.WriteStartObject();
        writer.WriteString("asset_id", summary.AssetId);
        writer.WriteString("market", summary.Market);
        writer.WriteNumber("epoch", book.Epoch);
        writer.WriteNumber("seq", book.Seq);
        WriteTimestamp(writer, summary.Timestamp);
        StreamEventJson.WriteHash(writer, "hash"u8, summary.Hash);
        StreamEventJson.WriteDecimal(writer, "min_order_size"u8, summary.MinOrderSize);
        StreamEventJson.WriteDecimal(writer, "tick_size"u8, summary.TickSize);
        writer.WriteBoolean("neg_risk"u8, summary.NegRisk);
        if (summary.LastTradePrice is { } lastTrade)
        {
            StreamEventJson.WriteDecimal(writer, "last_trade_price"u8, lastTrade);
        }
        else
        {
            writer.WriteString("last_trade_price"u8, ReadOnlySpan<byte>.Empty);
        }

        WriteLevels(writer, "bids"u8, summary.Bids);
        WriteLevels(writer, "asks"u8, summary.Asks);
        writer.WriteEndObject();
    }

    // Every value is formatted on the stack: the NATS sink writes a whole book for every snapshot it publishes.
    private static void WriteTimestamp(Utf8JsonWriter writer, long? timestamp)
    {
        Span<byte> text = stackalloc byte[20];
        var written = 0;
        if (timestamp is { } milliseconds)
        {
            Utf8Formatter.TryFormat(milliseconds, text, out written);
        }

        writer.WriteString("timestamp"u8, text[..written]);
    }

    private static void WriteLevels(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ImmutableArray<PriceLevel> levels)
    {
        writer.WriteStartArray(name);
        foreach (var level in levels)
        {
            writer.WriteStartArray();
            StreamEventJson.WriteDecimalValue(writer, level.Price);
            StreamEventJson.WriteDecimalValue(writer, level.Size);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads one book written by <see cref="Write"/>.</summary>
    /// <exception cref="KeyNotFoundException">A field is missing.</exception>
    /// <exception cref="FormatException">A decimal, hash or timestamp is malformed.</exception>
    /// <exception cref="InvalidOperationException">A field has the wrong JSON type.</exception>
    public static BookCheckpoint Read(JsonElement book)
    {
        // Read back from files and from the bus, which are input: every shape fault is one of the documented exceptions.
        var timestamp = Text(book, "timestamp");
        var hash = Text(book, "hash");
        var lastTrade = Text(book, "last_trade_price");
        var summary = new BookSummary
        {
            AssetId = Text(book, "asset_id"),
            Market = Text(book, "market"),
            Timestamp = timestamp.Length == 0 ? null
                : long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) ? micros
                : throw new FormatException($"timestamp '{timestamp}' is not a whole number."),
            Hash = hash.Length == 0 ? default : BookHash.Parse(hash),
            MinOrderSize = ExactDecimal.Parse(Text(book, "min_order_size")),
            TickSize = ExactDecimal.Parse(Text(book, "tick_size")),
            NegRisk = book.GetProperty("neg_risk").GetBoolean(),
            LastTradePrice = lastTrade.Length == 0 ? null : ExactDecimal.Parse(lastTrade),
            Bids = ReadLevels(book.GetProperty("bids")),
            Asks = ReadLevels(book.GetProperty("asks")),
        };
        return new BookCheckpoint(summary, book.GetProperty("epoch").GetInt64(), book.GetProperty("seq").GetInt64());
    }

    private static string Text(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new FormatException($"{name} is null.");

    private static ImmutableArray<PriceLevel> ReadLevels(JsonElement levels) =>
        [.. levels.EnumerateArray().Select(l => l.GetArrayLength() == 2
            ? new PriceLevel(ExactDecimal.Parse(l[0].GetString() ?? string.Empty), ExactDecimal.Parse(l[1].GetString() ?? string.Empty))
            : throw new FormatException("a level is not a [price, size] pair."))];
}
