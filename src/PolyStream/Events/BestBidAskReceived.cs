using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>The venue's top of book for a tracked token (<c>best_bid_ask</c>), passed through for cross-checks.</summary>
public sealed record BestBidAskReceived : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.BestBidAsk;

    /// <summary>The quote as parsed.</summary>
    public required BestBidAskEvent Quote { get; init; }
}
