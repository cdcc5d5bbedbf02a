using System.Collections.Immutable;

namespace PolyStream.Protocol;

/// <summary>A full L2 snapshot of one token (<c>book</c> on the wire, or a REST <c>/book</c> summary).</summary>
internal sealed record BookEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.Book;

    /// <summary>The market's condition id (<c>0x</c> + 64 hex).</summary>
    public required string Market { get; init; }

    /// <summary>The token id.</summary>
    public required string AssetId { get; init; }

    /// <summary>Unix milliseconds of the book's last change; <see langword="null"/> when the frame had none.</summary>
    public long? Timestamp { get; init; }

    /// <summary>The venue's summary hash of this book; no value when the frame had none.</summary>
    public BookHash Hash { get; init; }

    /// <summary>Bid levels in the order received (the venue sends them ascending: best bid last).</summary>
    public ImmutableArray<PriceLevel> Bids { get; init; } = [];

    /// <summary>Ask levels in the order received (the venue sends them descending: best ask last).</summary>
    public ImmutableArray<PriceLevel> Asks { get; init; } = [];

    /// <summary>The minimum tick, when the frame carried <c>tick_size</c>.</summary>
    public ExactDecimal? TickSize { get; init; }

    /// <summary>Whether the frame carried <c>last_trade_price</c> at all (it may be <c>""</c>, meaning no trade yet).</summary>
    public bool HasLastTradePrice { get; init; }

    /// <summary>The last trade price as rendered by the venue (<c>"0.850"</c>); <see langword="null"/> when absent or <c>""</c>.</summary>
    public ExactDecimal? LastTradePrice { get; init; }

    /// <summary>The minimum order size; REST summaries carry it, WebSocket books do not.</summary>
    public ExactDecimal? MinOrderSize { get; init; }

    /// <summary>Whether the market is neg-risk; REST summaries carry it, WebSocket books do not.</summary>
    public bool? NegRisk { get; init; }
}
