using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using PolyStream.Books;
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
        writer.WriteString("timestamp", summary.Timestamp?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        writer.WriteString("hash", summary.Hash.ToString());
        writer.WriteString("min_order_size", summary.MinOrderSize.ToString());
        writer.WriteString("tick_size", summary.TickSize.ToString());
        writer.WriteBoolean("neg_risk", summary.NegRisk);
        writer.WriteString("last_trade_price", summary.LastTradePrice?.ToString() ?? string.Empty);
        WriteLevels(writer, "bids", summary.Bids);
        WriteLevels(writer, "asks", summary.Asks);
        writer.WriteEndObject();
    }

    private static void WriteLevels(Utf8JsonWriter writer, string name, ImmutableArray<PriceLevel> levels)
    {
        writer.WriteStartArray(name);
        foreach (var level in levels)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(level.Price.ToString());
            writer.WriteStringValue(level.Size.ToString());
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
        var timestamp = book.GetProperty("timestamp").GetString()!;
        var hash = book.GetProperty("hash").GetString()!;
        var lastTrade = book.GetProperty("last_trade_price").GetString()!;
        var summary = new BookSummary
        {
            AssetId = book.GetProperty("asset_id").GetString()!,
            Market = book.GetProperty("market").GetString()!,
            Timestamp = timestamp.Length == 0 ? null : long.Parse(timestamp, CultureInfo.InvariantCulture),
            Hash = hash.Length == 0 ? default : BookHash.Parse(hash),
            MinOrderSize = ExactDecimal.Parse(book.GetProperty("min_order_size").GetString()!),
            TickSize = ExactDecimal.Parse(book.GetProperty("tick_size").GetString()!),
            NegRisk = book.GetProperty("neg_risk").GetBoolean(),
            LastTradePrice = lastTrade.Length == 0 ? null : ExactDecimal.Parse(lastTrade),
            Bids = ReadLevels(book.GetProperty("bids")),
            Asks = ReadLevels(book.GetProperty("asks")),
        };
        return new BookCheckpoint(summary, book.GetProperty("epoch").GetInt64(), book.GetProperty("seq").GetInt64());
    }

    private static ImmutableArray<PriceLevel> ReadLevels(JsonElement levels) =>
        [.. levels.EnumerateArray().Select(l => new PriceLevel(ExactDecimal.Parse(l[0].GetString()!), ExactDecimal.Parse(l[1].GetString()!)))];
}
