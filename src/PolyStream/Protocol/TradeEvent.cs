using System.Collections.Immutable;

namespace PolyStream.Protocol;

/// <summary>A user-channel trade event (<c>trade</c>); one per status change, <c>MATCHED</c> → <c>MINED</c> → <c>CONFIRMED</c>.</summary>
internal sealed record TradeEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.Trade;

    /// <summary>The trade id (a UUID).</summary>
    public required string Id { get; init; }

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The taker's token id.</summary>
    public required string AssetId { get; init; }

    /// <summary><c>MATCHED</c>, <c>MINED</c>, <c>CONFIRMED</c>, <c>RETRYING</c> or <c>FAILED</c>.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary>The taker's side.</summary>
    public Side Side { get; init; }

    /// <summary>The taker's price.</summary>
    public ExactDecimal Price { get; init; }

    /// <summary>The taker's size.</summary>
    public ExactDecimal Size { get; init; }

    /// <summary>The taker order's hash.</summary>
    public string TakerOrderId { get; init; } = string.Empty;

    /// <summary>The maker orders the taker matched.</summary>
    public ImmutableArray<MakerOrder> MakerOrders { get; init; } = [];

    /// <summary><c>TAKER</c> or <c>MAKER</c>: the receiving user's role.</summary>
    public string TraderSide { get; init; } = string.Empty;

    /// <summary>The outcome name.</summary>
    public string Outcome { get; init; } = string.Empty;

    /// <summary>The API key that owns the trade.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>The API key of the trade's owner as a separate field.</summary>
    public string TradeOwner { get; init; } = string.Empty;

    /// <summary>The taker's wallet.</summary>
    public string MakerAddress { get; init; } = string.Empty;

    /// <summary>The fee rate in basis points as sent (may be empty).</summary>
    public string FeeRateBps { get; init; } = string.Empty;

    /// <summary>The settlement transaction hash, or empty until known.</summary>
    public string TransactionHash { get; init; } = string.Empty;

    /// <summary>Index of this part when a large match is split over several transactions.</summary>
    public int BucketIndex { get; init; }

    /// <summary>Unix seconds of the match (<c>match_time</c>, also spelled <c>matchtime</c>).</summary>
    public long? MatchTime { get; init; }

    /// <summary>Unix seconds of the last status change.</summary>
    public long? LastUpdate { get; init; }

    /// <summary>The event time as sent: milliseconds normally, seconds in some samples (compare magnitudes).</summary>
    public long? Timestamp { get; init; }
}
