namespace PolyStream.Protocol;

/// <summary>The <c>event_type</c> values the parser recognises.</summary>
internal enum EventType
{
    None,
    Book,
    PriceChange,
    LastTradePrice,
    TickSizeChange,
    BestBidAsk,
    NewMarket,
    MarketResolved,
    Order,
    Trade,
    Unknown,
}

/// <summary>Maps <c>event_type</c> text to <see cref="EventType"/>.</summary>
internal static class EventTypes
{
    public static EventType Lookup(ReadOnlySpan<byte> text) => text switch
    {
        _ when text.SequenceEqual("price_change"u8) => EventType.PriceChange,
        _ when text.SequenceEqual("book"u8) => EventType.Book,
        _ when text.SequenceEqual("last_trade_price"u8) => EventType.LastTradePrice,
        _ when text.SequenceEqual("tick_size_change"u8) => EventType.TickSizeChange,
        _ when text.SequenceEqual("best_bid_ask"u8) => EventType.BestBidAsk,
        _ when text.SequenceEqual("new_market"u8) => EventType.NewMarket,
        _ when text.SequenceEqual("market_resolved"u8) => EventType.MarketResolved,
        _ when text.SequenceEqual("order"u8) => EventType.Order,
        _ when text.SequenceEqual("trade"u8) => EventType.Trade,
        _ => EventType.Unknown,
    };

    /// <summary>
    /// Infers a user event from its <c>type</c> field, for payloads that omit <c>event_type</c>
    /// (seen in venue-cancel captures): order types, or <c>TRADE</c>.
    /// </summary>
    public static EventType FromUserType(ReadOnlySpan<byte> type) => type switch
    {
        _ when type.SequenceEqual("PLACEMENT"u8) || type.SequenceEqual("UPDATE"u8) || type.SequenceEqual("CANCELLATION"u8) => EventType.Order,
        _ when type.SequenceEqual("TRADE"u8) => EventType.Trade,
        _ => EventType.None,
    };

    /// <summary>Whether the event is built from the one-pass field reading (the frequent market events).</summary>
    public static bool IsReadInOnePass(EventType type) =>
        type is EventType.Book or EventType.PriceChange or EventType.LastTradePrice
            or EventType.TickSizeChange or EventType.BestBidAsk;
}
