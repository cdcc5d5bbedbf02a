using System.Buffers;
using System.Text.Json;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Simulator.Wire;

/// <summary>
/// Writes the venue's JSON by hand so key order and number rendering match the wire byte for byte
/// (POLYMARKET.md §1.6, §4): decimals are strings in their exact text, levels in wire order.
/// </summary>
internal static class WireWriter
{
    private static readonly JsonWriterOptions s_options = new() { Indented = false, SkipValidation = false };

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the bytes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Decimal(Utf8JsonWriter writer, string name, ExactDecimal value)
    {
        Span<byte> text = stackalloc byte[ExactDecimal.MaxFormattedLength];
        value.TryFormat(text, out var written);
        writer.WriteString(name, text[..written]);
    }

    public static void DecimalOrEmpty(Utf8JsonWriter writer, string name, ExactDecimal? value)
    {
        if (value is { } present)
        {
            Decimal(writer, name, present);
        }
        else
        {
            writer.WriteString(name, string.Empty);
        }
    }

    public static void DecimalValue(Utf8JsonWriter writer, ExactDecimal value)
    {
        Span<byte> text = stackalloc byte[ExactDecimal.MaxFormattedLength];
        value.TryFormat(text, out var written);
        writer.WriteStringValue(text[..written]);
    }

    public static void Millis(Utf8JsonWriter writer, string name, long? millis)
    {
        Span<byte> text = stackalloc byte[20];
        if (millis is { } value)
        {
            System.Buffers.Text.Utf8Formatter.TryFormat(value, text, out var written);
            writer.WriteString(name, text[..written]);
        }
        else
        {
            writer.WriteString(name, string.Empty);
        }
    }

    public static void Levels(Utf8JsonWriter writer, string name, ReadOnlySpan<PriceLevel> levels)
    {
        writer.WriteStartArray(name);
        foreach (var level in levels)
        {
            writer.WriteStartObject();
            Decimal(writer, "price", level.Price);
            Decimal(writer, "size", level.Size);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static string SideText(Side side) => side == Side.Buy ? "BUY" : "SELL";

    /// <summary>A WebSocket <c>book</c>: <c>market, asset_id, timestamp, hash, bids, asks, tick_size, event_type, last_trade_price</c>.</summary>
    public static void WsBook(Utf8JsonWriter writer, BookSummary book)
    {
        BookHead(writer, book);
        Decimal(writer, "tick_size", book.TickSize);
        writer.WriteString("event_type", "book");
        DecimalOrEmpty(writer, "last_trade_price", book.LastTradePrice);
        writer.WriteEndObject();
    }

    /// <summary>The keys both book shapes start with, in the venue's order: market, asset_id, timestamp, hash, bids, asks.</summary>
    private static void BookHead(Utf8JsonWriter writer, BookSummary book)
    {
        writer.WriteStartObject();
        writer.WriteString("market", book.Market);
        writer.WriteString("asset_id", book.AssetId);
        Millis(writer, "timestamp", book.Timestamp);
        writer.WriteString("hash", book.Hash.ToString());
        Levels(writer, "bids", book.Bids.AsSpan());
        Levels(writer, "asks", book.Asks.AsSpan());
    }

    /// <summary>A REST summary: the hashed key order, <c>min_order_size</c> and <c>neg_risk</c> included.</summary>
    public static void RestBook(Utf8JsonWriter writer, BookSummary book)
    {
        BookHead(writer, book);
        Decimal(writer, "min_order_size", book.MinOrderSize);
        Decimal(writer, "tick_size", book.TickSize);
        writer.WriteBoolean("neg_risk", book.NegRisk);
        DecimalOrEmpty(writer, "last_trade_price", book.LastTradePrice);
        writer.WriteEndObject();
    }

    /// <summary>A <c>price_change</c>: <c>market, price_changes, timestamp, event_type</c>.</summary>
    public static byte[] PriceChange(string market, long timestamp, IReadOnlyList<PriceChange> changes) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("market", market);
        writer.WriteStartArray("price_changes");
        foreach (var change in changes)
        {
            writer.WriteStartObject();
            writer.WriteString("asset_id", change.AssetId);
            Decimal(writer, "price", change.Price);
            Decimal(writer, "size", change.Size);
            writer.WriteString("side", SideText(change.Side));
            writer.WriteString("hash", change.Hash.ToString());
            DecimalOrEmpty(writer, "best_bid", change.BestBid);
            DecimalOrEmpty(writer, "best_ask", change.BestAsk);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        Millis(writer, "timestamp", timestamp);
        writer.WriteString("event_type", "price_change");
        writer.WriteEndObject();
    });

    /// <summary>A <c>last_trade_price</c> in the alphabetical key order of real captures.</summary>
    public static byte[] LastTradePrice(string market, string assetId, ExactDecimal price, ExactDecimal size, Side side, long timestamp, string transactionHash) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("asset_id", assetId);
        writer.WriteString("event_type", "last_trade_price");
        writer.WriteString("fee_rate_bps", "0");
        writer.WriteString("market", market);
        Decimal(writer, "price", price);
        writer.WriteString("side", SideText(side));
        Decimal(writer, "size", size);
        Millis(writer, "timestamp", timestamp);
        writer.WriteString("transaction_hash", transactionHash);
        writer.WriteEndObject();
    });

    /// <summary>A <c>tick_size_change</c> in the alphabetical key order of real captures.</summary>
    public static byte[] TickSizeChange(string market, string assetId, ExactDecimal oldTick, ExactDecimal newTick, long timestamp) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("asset_id", assetId);
        writer.WriteString("event_type", "tick_size_change");
        writer.WriteString("market", market);
        Decimal(writer, "new_tick_size", newTick);
        Decimal(writer, "old_tick_size", oldTick);
        Millis(writer, "timestamp", timestamp);
        writer.WriteEndObject();
    });

    /// <summary>A <c>best_bid_ask</c> (custom feature); empty sides are <c>""</c>.</summary>
    public static byte[] BestBidAsk(string market, string assetId, ExactDecimal? bid, ExactDecimal? ask, long timestamp) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("event_type", "best_bid_ask");
        writer.WriteString("market", market);
        writer.WriteString("asset_id", assetId);
        DecimalOrEmpty(writer, "best_bid", bid);
        DecimalOrEmpty(writer, "best_ask", ask);
        ExactDecimal? spread = bid is { } b && ask is { } a && a >= b
            ? ExactDecimal.FromDecimal(a.ToDecimal() - b.ToDecimal()).Normalize()
            : null;
        DecimalOrEmpty(writer, "spread", spread);
        Millis(writer, "timestamp", timestamp);
        writer.WriteEndObject();
    });

    /// <summary>An <c>{"error":"..."}</c> body.</summary>
    public static byte[] Error(string message) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("error", message);
        writer.WriteEndObject();
    });
}
