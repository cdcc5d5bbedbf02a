using System.Collections.Immutable;
using System.Text.Json;
using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>The fields of the events passed through from the venue (market lifecycle, the user channel) and of the universe they change.</summary>
internal static partial class StreamEventJson
{
    private static void WriteVenueFields(Utf8JsonWriter w, StreamEvent streamEvent)
    {
        switch (streamEvent)
        {
            case MarketCreated market:
                w.WriteString("market"u8, market.Market);
                w.WriteString("market_id"u8, market.Id);
                w.WriteString("question"u8, market.Question);
                w.WriteString("slug"u8, market.Slug);
                WriteStrings(w, "asset_ids"u8, market.AssetIds);
                WriteStrings(w, "outcomes"u8, market.Outcomes);
                WriteDecimal(w, "tick_size"u8, market.TickSize);
                WriteOptional(w, "active"u8, market.Active);
                WriteStrings(w, "tags"u8, market.Tags);
                WriteOptional(w, "timestamp"u8, market.Timestamp);
                break;
            case MarketResolved resolution:
                w.WriteString("market"u8, resolution.Market);
                w.WriteString("market_id"u8, resolution.Id);
                WriteStrings(w, "asset_ids"u8, resolution.AssetIds);
                w.WriteString("winning_asset_id"u8, resolution.WinningAssetId);
                w.WriteString("winning_outcome"u8, resolution.WinningOutcome);
                WriteStrings(w, "tags"u8, resolution.Tags);
                WriteOptional(w, "timestamp"u8, resolution.Timestamp);
                break;
            case UserOrderReceived order:
                WriteOrder(w, order);
                break;
            case UserTradeReceived trade:
                WriteTrade(w, trade);
                break;
        }
    }

    /// <summary>The change's reason and counts, each added market's condition id, slug and tokens, and the removed condition ids.</summary>
    private static void WriteUniverse(Utf8JsonWriter w, UniverseChanged universe)
    {
        w.WriteString("reason"u8, Names<UniverseChangeReason>.Of(universe.Reason));
        w.WriteNumber("markets"u8, universe.Markets);
        w.WriteNumber("tokens"u8, universe.Tokens);
        w.WriteStartArray("added"u8);
        foreach (var market in universe.Added)
        {
            w.WriteStartObject();
            w.WriteString("market"u8, market.ConditionId);
            w.WriteString("slug"u8, market.Slug);
            WriteStrings(w, "asset_ids"u8, market.ClobTokenIds);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteStrings(w, "removed"u8, universe.Removed);
    }

    private static void WriteOrder(Utf8JsonWriter w, UserOrderReceived order)
    {
        w.WriteString("order_id"u8, order.Id);
        w.WriteString("market"u8, order.Market);
        w.WriteString("order_event"u8, order.Type);
        w.WriteString("status"u8, order.Status);
        WriteSide(w, order.Side);
        WriteDecimal(w, "price"u8, order.Price);
        WriteDecimal(w, "original_size"u8, order.OriginalSize);
        WriteDecimal(w, "size_matched"u8, order.SizeMatched);
        w.WriteString("order_type"u8, order.OrderType);
        w.WriteString("outcome"u8, order.Outcome);
        w.WriteString("owner"u8, Redaction.ApiKey(order.Owner)); // The venue puts the API key here.
        WriteStrings(w, "associate_trades"u8, order.AssociateTrades);
        WriteOptional(w, "created_at"u8, order.CreatedAt);
        WriteOptional(w, "expiration"u8, order.Expiration);
        WriteOptional(w, "timestamp"u8, order.Timestamp);
    }

    private static void WriteTrade(Utf8JsonWriter w, UserTradeReceived trade)
    {
        w.WriteString("trade_id"u8, trade.Id);
        w.WriteString("market"u8, trade.Market);
        w.WriteString("status"u8, trade.Status);
        WriteSide(w, trade.Side);
        WriteDecimal(w, "price"u8, trade.Price);
        WriteDecimal(w, "size"u8, trade.Size);
        w.WriteString("taker_order_id"u8, trade.TakerOrderId);
        w.WriteString("trader_side"u8, trade.TraderSide);
        w.WriteString("outcome"u8, trade.Outcome);
        w.WriteString("owner"u8, Redaction.ApiKey(trade.Owner));
        w.WriteString("fee_rate_bps"u8, trade.FeeRateBps);
        w.WriteString("transaction_hash"u8, trade.TransactionHash);
        w.WriteStartArray("maker_orders"u8);
        foreach (var maker in trade.MakerOrders)
        {
            w.WriteStartObject();
            w.WriteString("order_id"u8, maker.OrderId);
            w.WriteString("asset_id"u8, maker.AssetId);
            WriteDecimal(w, "matched_amount"u8, maker.MatchedAmount);
            WriteDecimal(w, "price"u8, maker.Price);
            w.WriteString("outcome"u8, maker.Outcome);
            w.WriteString("owner"u8, Redaction.ApiKey(maker.Owner));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteOptional(w, "match_time"u8, trade.MatchTime);
        WriteOptional(w, "last_update"u8, trade.LastUpdate);
        WriteOptional(w, "timestamp"u8, trade.Timestamp);
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } flag)
        {
            w.WriteBoolean(name, flag);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
