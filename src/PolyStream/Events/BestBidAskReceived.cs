using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>The venue's top of book for a tracked token (<c>best_bid_ask</c>), passed through for cross-checks.</summary>
public sealed record BestBidAskReceived : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.BestBidAsk;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The best bid; <see langword="null"/> for an empty side.</summary>
    public ExactDecimal? BestBid { get; init; }

    /// <summary>The best ask; <see langword="null"/> for an empty side.</summary>
    public ExactDecimal? BestAsk { get; init; }

    /// <summary>The spread as sent; <see langword="null"/> when empty.</summary>
    public ExactDecimal? Spread { get; init; }

    /// <summary>Unix milliseconds of the update, as the venue stamped it.</summary>
    public long? Timestamp { get; init; }
}
