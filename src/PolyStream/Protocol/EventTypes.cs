
namespace PolyStream.Protocol;

/// <summary>Maps <c>event_type</c> text to the <see cref="WireEventKind"/> it announces.</summary>
internal static class EventTypes
{
    /// <summary>The kind an <c>event_type</c> names; <see cref="WireEventKind.Unknown"/> for any other text.</summary>
    public static WireEventKind Lookup(ReadOnlySpan<byte> text) => text switch
    {
        _ when text.SequenceEqual("price_change"u8) => WireEventKind.PriceChange,
        _ when text.SequenceEqual("book"u8) => WireEventKind.Book,
        _ when text.SequenceEqual("last_trade_price"u8) => WireEventKind.LastTradePrice,
        _ when text.SequenceEqual("tick_size_change"u8) => WireEventKind.TickSizeChange,
        _ when text.SequenceEqual("best_bid_ask"u8) => WireEventKind.BestBidAsk,
        _ when text.SequenceEqual("new_market"u8) => WireEventKind.NewMarket,
        _ when text.SequenceEqual("market_resolved"u8) => WireEventKind.MarketResolved,
        _ when text.SequenceEqual("order"u8) => WireEventKind.Order,
        _ when text.SequenceEqual("trade"u8) => WireEventKind.Trade,
        _ => WireEventKind.Unknown,
    };

    /// <summary>
    /// Infers a user event from its <c>type</c> field, for payloads that omit <c>event_type</c>
    /// (seen in venue-cancel captures): order types, or <c>TRADE</c>.
    /// </summary>
    public static WireEventKind? FromUserType(ReadOnlySpan<byte> type) => type switch
    {
        _ when type.SequenceEqual("PLACEMENT"u8) || type.SequenceEqual("UPDATE"u8) || type.SequenceEqual("CANCELLATION"u8) => WireEventKind.Order,
        _ when type.SequenceEqual("TRADE"u8) => WireEventKind.Trade,
        _ => null,
    };

    /// <summary>Whether the event is built from the one-pass field reading (the frequent market events).</summary>
    public static bool IsReadInOnePass(WireEventKind? kind) =>
        kind is WireEventKind.Book or WireEventKind.PriceChange or WireEventKind.LastTradePrice
            or WireEventKind.TickSizeChange or WireEventKind.BestBidAsk;
}
