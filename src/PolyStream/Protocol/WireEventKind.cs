
namespace PolyStream.Protocol;

/// <summary>The kinds of event a frame can carry.</summary>
internal enum WireEventKind
{
    /// <summary>A full L2 snapshot of one token (<c>book</c>).</summary>
    Book,

    /// <summary>Level changes with post-change hashes (<c>price_change</c>, any of its three shapes).</summary>
    PriceChange,

    /// <summary>A match (<c>last_trade_price</c>).</summary>
    LastTradePrice,

    /// <summary>A new minimum tick (<c>tick_size_change</c>).</summary>
    TickSizeChange,

    /// <summary>Top of book (<c>best_bid_ask</c>, custom feature).</summary>
    BestBidAsk,

    /// <summary>A market was created (<c>new_market</c>, custom feature).</summary>
    NewMarket,

    /// <summary>A market was resolved (<c>market_resolved</c>, custom feature).</summary>
    MarketResolved,

    /// <summary>A user-channel order event (<c>order</c>).</summary>
    Order,

    /// <summary>A user-channel trade event (<c>trade</c>).</summary>
    Trade,

    /// <summary>A bare-text reply such as <c>PONG</c> or <c>INVALID OPERATION</c>.</summary>
    ControlReply,

    /// <summary>An object with an <c>event_type</c> this version does not know; its raw JSON is kept.</summary>
    Unknown,
}
