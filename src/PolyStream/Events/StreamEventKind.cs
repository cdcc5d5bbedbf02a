
namespace PolyStream.Events;

/// <summary>The kinds of <see cref="StreamEvent"/>.</summary>
internal enum StreamEventKind
{
    /// <summary>A snapshot re-based a book (<see cref="BookSnapshotApplied"/>).</summary>
    BookSnapshot,

    /// <summary>A <c>price_change</c> was applied to a book (<see cref="BookDeltaApplied"/>).</summary>
    BookDelta,

    /// <summary>A match on a token (<see cref="LastTradeReceived"/>).</summary>
    LastTrade,

    /// <summary>A token's tick size changed (<see cref="TickSizeChanged"/>).</summary>
    TickSizeChange,

    /// <summary>Top of book from the venue (<see cref="BestBidAskReceived"/>).</summary>
    BestBidAsk,

    /// <summary>A market was created (<see cref="MarketCreated"/>).</summary>
    NewMarket,

    /// <summary>A market was resolved (<see cref="MarketResolved"/>).</summary>
    MarketResolved,

    /// <summary>A user-channel order event (<see cref="UserOrderReceived"/>).</summary>
    UserOrder,

    /// <summary>A user-channel trade event (<see cref="UserTradeReceived"/>).</summary>
    UserTrade,

    /// <summary>A book's trust state changed (<see cref="BookStateChanged"/>).</summary>
    BookStateChanged,

    /// <summary>A hash did not match (<see cref="HashMismatchDetected"/>).</summary>
    HashMismatch,

    /// <summary>A book needs a fresh snapshot (<see cref="ResyncRequested"/>).</summary>
    ResyncRequested,

    /// <summary>The subscriber lost events before this point (<see cref="Lagged"/>).</summary>
    Lagged,

    /// <summary>A frame could not be parsed and was dropped whole (<see cref="ParseFailure"/>).</summary>
    ParseFailure,

    /// <summary>The subscriber was ended by its overflow policy; nothing follows (<see cref="SubscriberDisconnected"/>).</summary>
    Disconnected,

    /// <summary>The markets universe mode carries changed (<see cref="UniverseChanged"/>).</summary>
    UniverseChanged,
}
