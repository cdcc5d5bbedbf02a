using System.Collections.Immutable;
using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A market was created (<c>new_market</c>), passed through whatever the tracked set.</summary>
public sealed record MarketCreated : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.NewMarket;

    /// <summary>The Gamma market id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The market's question.</summary>
    public string Question { get; init; } = string.Empty;

    /// <summary>The market's slug.</summary>
    public string Slug { get; init; } = string.Empty;

    /// <summary>The market's token ids, in the order of <see cref="Outcomes"/>.</summary>
    public ImmutableArray<string> AssetIds { get; init; } = [];

    /// <summary>The outcome names, e.g. <c>Yes</c>, <c>No</c>.</summary>
    public ImmutableArray<string> Outcomes { get; init; } = [];

    /// <summary>The minimum tick (<c>order_price_min_tick_size</c>), when sent.</summary>
    public ExactDecimal? TickSize { get; init; }

    /// <summary>Whether the market is active, when sent.</summary>
    public bool? Active { get; init; }

    /// <summary>Tags attached to the market.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Unix milliseconds of the event, as the venue stamped it.</summary>
    public long? Timestamp { get; init; }
}
