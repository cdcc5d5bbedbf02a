using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace PolyStream.Protocol;

/// <summary>
/// Reads the infrequent events (<c>new_market</c>, <c>market_resolved</c>, user <c>order</c> and
/// <c>trade</c>) from their own bytes through a <see cref="JsonDocument"/>: they are rare and
/// wide, so clarity wins over the one-pass reader's speed here.
/// </summary>
internal static class RareEventReader
{
    public static WireEvent Read(WireEventKind type, ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        try
        {
            return type switch
            {
                WireEventKind.NewMarket => ReadNewMarket(root),
                WireEventKind.MarketResolved => ReadMarketResolved(root),
                WireEventKind.Order => ReadOrder(root),
                WireEventKind.Trade => ReadTrade(root),
                _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a rare event type"),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            throw InvalidFrameException.Event(ex.Message);
        }
    }

    private static NewMarketEvent ReadNewMarket(JsonElement e) => new()
    {
        Id = Text(e, "id"),
        Market = Text(e, "market"),
        Question = Text(e, "question"),
        Slug = Text(e, "slug"),
        AssetIds = TextArray(e, "assets_ids"),
        Outcomes = TextArray(e, "outcomes"),
        TickSize = OptionalDecimal(e, "order_price_min_tick_size"),
        Active = e.TryGetProperty("active", out var active) && active.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? active.GetBoolean()
            : null,
        Tags = TextArray(e, "tags"),
        Timestamp = OptionalInteger(e, "timestamp"),
    };

    private static MarketResolvedEvent ReadMarketResolved(JsonElement e) => new()
    {
        Id = Text(e, "id"),
        Market = Text(e, "market"),
        AssetIds = TextArray(e, "assets_ids"),
        WinningAssetId = Text(e, "winning_asset_id"),
        WinningOutcome = Text(e, "winning_outcome"),
        Tags = TextArray(e, "tags"),
        Timestamp = OptionalInteger(e, "timestamp"),
    };

    private static OrderEvent ReadOrder(JsonElement e) => new()
    {
        Id = Text(e, "id"),
        Market = Text(e, "market"),
        AssetId = Text(e, "asset_id"),
        Type = Text(e, "type"),
        Status = Text(e, "status"),
        Side = ParseSide(Text(e, "side")),
        Price = Decimal(e, "price"),
        OriginalSize = Decimal(e, "original_size"),
        SizeMatched = OptionalDecimal(e, "size_matched"),
        Owner = Text(e, "owner"),
        OrderOwner = Text(e, "order_owner"),
        Outcome = Text(e, "outcome"),
        OrderType = Text(e, "order_type"),
        MakerAddress = Text(e, "maker_address"),
        AssociateTrades = TextArray(e, "associate_trades"),
        CreatedAt = OptionalInteger(e, "created_at"),
        Expiration = OptionalInteger(e, "expiration"),
        Timestamp = OptionalInteger(e, "timestamp"),
    };

    private static TradeEvent ReadTrade(JsonElement e) => new()
    {
        Id = Text(e, "id"),
        Market = Text(e, "market"),
        AssetId = Text(e, "asset_id"),
        Status = Text(e, "status"),
        Side = ParseSide(Text(e, "side")),
        Price = Decimal(e, "price"),
        Size = Decimal(e, "size"),
        TakerOrderId = Text(e, "taker_order_id"),
        MakerOrders = ReadMakerOrders(e),
        TraderSide = Text(e, "trader_side"),
        Outcome = Text(e, "outcome"),
        Owner = Text(e, "owner"),
        TradeOwner = Text(e, "trade_owner"),
        MakerAddress = Text(e, "maker_address"),
        FeeRateBps = Text(e, "fee_rate_bps"),
        TransactionHash = Text(e, "transaction_hash"),
        BucketIndex = (int)(OptionalInteger(e, "bucket_index") ?? 0),
        MatchTime = OptionalInteger(e, "match_time") ?? OptionalInteger(e, "matchtime"),
        LastUpdate = OptionalInteger(e, "last_update"),
        Timestamp = OptionalInteger(e, "timestamp"),
    };

    private static ImmutableArray<MakerOrder> ReadMakerOrders(JsonElement e)
    {
        if (!e.TryGetProperty("maker_orders", out var orders) || orders.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<MakerOrder>(orders.GetArrayLength());
        foreach (var order in orders.EnumerateArray())
        {
            builder.Add(new MakerOrder(
                Text(order, "order_id"),
                Text(order, "asset_id"),
                Text(order, "owner"),
                Text(order, "maker_address"),
                Decimal(order, "matched_amount"),
                Decimal(order, "price"),
                Text(order, "fee_rate_bps"),
                Text(order, "outcome")));
        }

        return builder.MoveToImmutable();
    }

    private static string Text(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return string.Empty;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => string.Empty,
            _ => throw new FormatException($"{name} must be a string"),
        };
    }

    private static ImmutableArray<string> TextArray(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            // Gamma-flavoured payloads sometimes carry a JSON array inside a string.
            var inner = value.GetString()!;
            return inner.StartsWith('[') ? [.. JsonSerializer.Deserialize(inner, ProtocolJsonContext.Default.StringArray) ?? []] : [inner];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{name} must be an array of strings");
        }

        var builder = ImmutableArray.CreateBuilder<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            builder.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
        }

        return builder.MoveToImmutable();
    }

    private static ExactDecimal Decimal(JsonElement e, string name) =>
        OptionalDecimal(e, name) ?? throw new FormatException($"{name} is missing or empty");

    private static ExactDecimal? OptionalDecimal(JsonElement e, string name)
    {
        var text = Text(e, name);
        return text.Length == 0 ? null : ExactDecimal.Parse(text);
    }

    private static long? OptionalInteger(JsonElement e, string name)
    {
        var text = Text(e, name);
        return text.Length == 0
            ? null
            : long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static Side ParseSide(string text) => text.ToUpperInvariant() switch
    {
        "BUY" => Side.Buy,
        "SELL" => Side.Sell,
        _ => throw new FormatException($"side '{text}' is not BUY or SELL"),
    };
}
