namespace PolyStream.Simulator.Engine;

/// <summary>The event a simulated frame carries.</summary>
public enum SimFrameKind
{
    /// <summary>A full <c>book</c> snapshot of one token.</summary>
    Book,

    /// <summary>A <c>price_change</c> with entries for both tokens of a market.</summary>
    PriceChange,

    /// <summary>A <c>last_trade_price</c> after a match.</summary>
    LastTradePrice,

    /// <summary>A <c>tick_size_change</c> of one token.</summary>
    TickSizeChange,

    /// <summary>A <c>best_bid_ask</c> (custom feature).</summary>
    BestBidAsk,

    /// <summary>A <c>new_market</c> (custom feature, sent regardless of subscription).</summary>
    NewMarket,

    /// <summary>A <c>market_resolved</c> (custom feature).</summary>
    MarketResolved,

    /// <summary>A user-channel <c>order</c> event.</summary>
    Order,

    /// <summary>A user-channel <c>trade</c> event.</summary>
    Trade,
}
