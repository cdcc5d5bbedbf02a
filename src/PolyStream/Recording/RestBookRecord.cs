using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using PolyStream.Protocol;

namespace PolyStream.Recording;

/// <summary>
/// A REST <c>/books</c> summary the streamer based a book on (its first base at subscribe time, or a resync
/// answer), stored in a recording on <see cref="RecordingFormat.RestBooksConnectionId"/>: it carries the
/// <c>min_order_size</c> and <c>neg_risk</c> that WebSocket books lack, so a replay hashes each book with its
/// own metadata. Read back through the same parser as any frame: a recording is untrusted input.
/// </summary>
internal static class RestBookRecord
{
    /// <summary>The summary as a one-element <c>/books</c> answer, in the venue's field names and renderings.</summary>
    public static byte[] Encode(BookEvent summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("market", summary.Market);
            json.WriteString("asset_id", summary.AssetId);
            if (summary.Timestamp is { } timestamp)
            {
                json.WriteString("timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            }

            if (summary.Hash.HasValue)
            {
                json.WriteString("hash", summary.Hash.ToString());
            }

            WriteLevels(json, "bids", summary.Bids);
            WriteLevels(json, "asks", summary.Asks);
            WriteDecimal(json, "min_order_size", summary.MinOrderSize);
            WriteDecimal(json, "tick_size", summary.TickSize);
            if (summary.NegRisk is { } negRisk)
            {
                json.WriteBoolean("neg_risk", negRisk);
            }

            if (summary.HasLastTradePrice)
            {
                json.WriteString("last_trade_price", summary.LastTradePrice?.ToString() ?? string.Empty);
            }

            json.WriteEndObject();
            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a stored summary back; <see langword="false"/> with a reason when the record is not exactly one
    /// well-formed summary carrying the metadata (a damaged or forged recording), which is then not applied.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> record, FrameParser parser, [NotNullWhen(true)] out BookEvent? summary, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(parser);
        summary = null;
        var events = new List<WireEvent>(1);
        if (!parser.TryParseBookSummaries(record, events, out var parseError))
        {
            error = parseError.ToString();
            return false;
        }

        if (events is not [BookEvent { MinOrderSize: not null, NegRisk: not null } book])
        {
            error = "expected one book summary with min_order_size and neg_risk";
            return false;
        }

        summary = book;
        error = null;
        return true;
    }

    private static void WriteLevels(Utf8JsonWriter json, string name, ImmutableArray<PriceLevel> levels)
    {
        json.WriteStartArray(name);
        foreach (var level in levels)
        {
            json.WriteStartObject();
            json.WriteString("price", level.Price.ToString());
            json.WriteString("size", level.Size.ToString());
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteDecimal(Utf8JsonWriter json, string name, ExactDecimal? value)
    {
        if (value is { } present)
        {
            json.WriteString(name, present.ToString());
        }
    }
}
