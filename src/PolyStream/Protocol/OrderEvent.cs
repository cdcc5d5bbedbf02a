using System.Collections.Immutable;

namespace PolyStream.Protocol;

/// <summary>A user-channel order event (<c>order</c>): placement, fill update or cancellation of the user's order.</summary>
internal sealed record OrderEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.Order;

    /// <summary>The order hash (<c>0x</c> + 64 hex).</summary>
    public required string Id { get; init; }

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The token id.</summary>
    public required string AssetId { get; init; }

    /// <summary><c>PLACEMENT</c>, <c>UPDATE</c> or <c>CANCELLATION</c>.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>The status as sent: <c>LIVE</c>, <c>MATCHED</c>, <c>CANCELED</c>, or a <c>CANCELED_</c>-prefixed reason.</summary>
    public string Status { get; init; } = string.Empty;

    /// <summary>The order's side.</summary>
    public Side Side { get; init; }

    /// <summary>The limit price.</summary>
    public ExactDecimal Price { get; init; }

    /// <summary>The size when placed.</summary>
    public ExactDecimal OriginalSize { get; init; }

    /// <summary>The size matched so far; <see langword="null"/> when sent as <c>""</c> (killed orders).</summary>
    public ExactDecimal? SizeMatched { get; init; }

    /// <summary>The API key that owns the order.</summary>
    public string Owner { get; init; } = string.Empty;

    /// <summary>The API key of the order's owner as a separate field.</summary>
    public string OrderOwner { get; init; } = string.Empty;

    /// <summary>The outcome name, possibly empty.</summary>
    public string Outcome { get; init; } = string.Empty;

    /// <summary><c>GTC</c>, <c>GTD</c>, <c>FOK</c> or <c>FAK</c>.</summary>
    public string OrderType { get; init; } = string.Empty;

    /// <summary>The funder or proxy wallet address.</summary>
    public string MakerAddress { get; init; } = string.Empty;

    /// <summary>Ids of trades this order took part in.</summary>
    public ImmutableArray<string> AssociateTrades { get; init; } = [];

    /// <summary>Unix seconds of creation; <see langword="null"/> when sent empty.</summary>
    public long? CreatedAt { get; init; }

    /// <summary>Unix seconds of expiry; 0 means none.</summary>
    public long? Expiration { get; init; }

    /// <summary>Unix milliseconds of the event.</summary>
    public long? Timestamp { get; init; }
}
