using System.Collections.Immutable;

namespace PolyStream.Protocol;

/// <summary>A market was resolved (<c>market_resolved</c>, custom feature).</summary>
internal sealed record MarketResolvedEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.MarketResolved;

    /// <summary>The Gamma market id.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The market's token ids.</summary>
    public ImmutableArray<string> AssetIds { get; init; } = [];

    /// <summary>The token that won.</summary>
    public string WinningAssetId { get; init; } = string.Empty;

    /// <summary>The name of the winning outcome.</summary>
    public string WinningOutcome { get; init; } = string.Empty;

    /// <summary>Tags attached to the market.</summary>
    public ImmutableArray<string> Tags { get; init; } = [];

    /// <summary>Unix milliseconds of the event.</summary>
    public long? Timestamp { get; init; }
}
