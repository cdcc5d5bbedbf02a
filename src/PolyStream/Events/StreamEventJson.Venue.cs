using System.Collections.Immutable;
using System.Text.Json;
using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>The fields of the events passed through from the venue: market lifecycle and the user channel.</summary>
internal static partial class StreamEventJson
{
    private static void WriteVenueFields(Utf8JsonWriter w, StreamEvent streamEvent)
    {
        switch (streamEvent)
        {
            case MarketCreated market:
                w.WriteString("market", market.Market);
                w.WriteString("market_id", market.Id);
                w.WriteString("question", market.Question);
                w.WriteString("slug", market.Slug);
                WriteStrings(w, "asset_ids", market.AssetIds);
                WriteStrings(w, "outcomes", market.Outcomes);
                w.WriteString("tick_size", market.TickSize?.ToString());
                WriteOptional(w, "active", market.Active);
                WriteStrings(w, "tags", market.Tags);
                WriteOptional(w, "timestamp", market.Timestamp);
                break;
            case MarketResolved resolution:
                w.WriteString("market", resolution.Market);
                w.WriteString("market_id", resolution.Id);
                WriteStrings(w, "asset_ids", resolution.AssetIds);
                w.WriteString("winning_asset_id", resolution.WinningAssetId);
                w.WriteString("winning_outcome", resolution.WinningOutcome);
                WriteStrings(w, "tags", resolution.Tags);
                WriteOptional(w, "timestamp", resolution.Timestamp);
                break;
            case UserOrderReceived order:
                WriteOrder(w, order);
                break;
            case UserTradeReceived trade:
                WriteTrade(w, trade);
                break;
        }
    }

    private static void WriteOrder(Utf8JsonWriter w, UserOrderReceived order)
    {
        w.WriteString("order_id", order.Id);
        w.WriteString("market", order.Market);
        w.WriteString("order_event", order.Type);
        w.WriteString("status", order.Status);
        w.WriteString("side", SideName(order.Side));
        w.WriteString("price", order.Price.ToString());
        w.WriteString("original_size", order.OriginalSize.ToString());
        w.WriteString("size_matched", order.SizeMatched?.ToString());
        w.WriteString("order_type", order.OrderType);
        w.WriteString("outcome", order.Outcome);
        w.WriteString("owner", Redaction.ApiKey(order.Owner)); // The venue puts the API key here.
        WriteStrings(w, "associate_trades", order.AssociateTrades);
        WriteOptional(w, "created_at", order.CreatedAt);
        WriteOptional(w, "expiration", order.Expiration);
        WriteOptional(w, "timestamp", order.Timestamp);
    }

    private static void WriteTrade(Utf8JsonWriter w, UserTradeReceived trade)
    {
        w.WriteString("trade_id", trade.Id);
        w.WriteString("market", trade.Market);
        w.WriteString("status", trade.Status);
        w.WriteString("side", SideName(trade.Side));
        w.WriteString("price", trade.Price.ToString());
        w.WriteString("size", trade.Size.ToString());
        w.WriteString("taker_order_id", trade.TakerOrderId);
        w.WriteString("trader_side", trade.TraderSide);
        w.WriteString("outcome", trade.Outcome);
        w.WriteString("owner", Redaction.ApiKey(trade.Owner));
        w.WriteString("fee_rate_bps", trade.FeeRateBps);
        w.WriteString("transaction_hash", trade.TransactionHash);
        w.WriteStartArray("maker_orders");
        foreach (var maker in trade.MakerOrders)
        {
            w.WriteStartObject();
            w.WriteString("order_id", maker.OrderId);
            w.WriteString("asset_id", maker.AssetId);
            w.WriteString("matched_amount", maker.MatchedAmount.ToString());
            w.WriteString("price", maker.Price.ToString());
            w.WriteString("outcome", maker.Outcome);
            w.WriteString("owner", Redaction.ApiKey(maker.Owner));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteOptional(w, "match_time", trade.MatchTime);
        WriteOptional(w, "last_update", trade.LastUpdate);
        WriteOptional(w, "timestamp", trade.Timestamp);
    }

    private static string SideName(Side side) => side == Side.Buy ? "BUY" : "SELL";

    private static void WriteStrings(Utf8JsonWriter w, string name, ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
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

    private static void WriteOptional(Utf8JsonWriter w, string name, bool? value)
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
