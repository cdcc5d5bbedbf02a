
namespace PolyStream.Protocol;

/// <summary>Top of one token's book (<c>best_bid_ask</c>, sent with custom features enabled).</summary>
internal sealed record BestBidAskEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.BestBidAsk;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The token id.</summary>
    public required string AssetId { get; init; }

    /// <summary>The best bid; <see langword="null"/> for an empty side.</summary>
    public ExactDecimal? BestBid { get; init; }

    /// <summary>The best ask; <see langword="null"/> for an empty side.</summary>
    public ExactDecimal? BestAsk { get; init; }

    /// <summary>The spread as sent; <see langword="null"/> when empty.</summary>
    public ExactDecimal? Spread { get; init; }

    /// <summary>Unix milliseconds of the update.</summary>
    public long? Timestamp { get; init; }
}
