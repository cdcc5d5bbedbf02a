
namespace PolyStream.Protocol;

/// <summary>The market-channel field names the one-pass parser reads; every other name is skipped.</summary>
internal enum MarketField
{
    Other,
    EventType,
    Market,
    AssetId,
    Timestamp,
    Hash,
    Bids,
    Asks,
    TickSize,
    LastTradePrice,
    MinOrderSize,
    NegRisk,
    PriceChanges,
    Changes,
    Price,
    Size,
    Side,
    BestBid,
    BestAsk,
    Spread,
    OldTickSize,
    NewTickSize,
    FeeRateBps,
    TransactionHash,
    Type,
}

/// <summary>Maps a UTF-8 property name to a <see cref="MarketField"/> without allocating.</summary>
internal static class MarketFieldNames
{
    public static MarketField Lookup(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("hash"u8) => MarketField.Hash,
        4 when name.SequenceEqual("size"u8) => MarketField.Size,
        4 when name.SequenceEqual("side"u8) => MarketField.Side,
        4 when name.SequenceEqual("bids"u8) => MarketField.Bids,
        4 when name.SequenceEqual("asks"u8) => MarketField.Asks,
        4 when name.SequenceEqual("type"u8) => MarketField.Type,
        5 when name.SequenceEqual("price"u8) => MarketField.Price,
        6 when name.SequenceEqual("market"u8) => MarketField.Market,
        6 when name.SequenceEqual("spread"u8) => MarketField.Spread,
        7 when name.SequenceEqual("changes"u8) => MarketField.Changes,
        8 when name.SequenceEqual("asset_id"u8) => MarketField.AssetId,
        8 when name.SequenceEqual("best_bid"u8) => MarketField.BestBid,
        8 when name.SequenceEqual("best_ask"u8) => MarketField.BestAsk,
        8 when name.SequenceEqual("neg_risk"u8) => MarketField.NegRisk,
        9 when name.SequenceEqual("timestamp"u8) => MarketField.Timestamp,
        9 when name.SequenceEqual("tick_size"u8) => MarketField.TickSize,
        10 when name.SequenceEqual("event_type"u8) => MarketField.EventType,
        12 when name.SequenceEqual("fee_rate_bps"u8) => MarketField.FeeRateBps,
        13 when name.SequenceEqual("price_changes"u8) => MarketField.PriceChanges,
        13 when name.SequenceEqual("old_tick_size"u8) => MarketField.OldTickSize,
        13 when name.SequenceEqual("new_tick_size"u8) => MarketField.NewTickSize,
        14 when name.SequenceEqual("min_order_size"u8) => MarketField.MinOrderSize,
        16 when name.SequenceEqual("last_trade_price"u8) => MarketField.LastTradePrice,
        16 when name.SequenceEqual("transaction_hash"u8) => MarketField.TransactionHash,
        _ => MarketField.Other,
    };
}
