using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A market was resolved (<c>market_resolved</c>), passed through whatever the tracked set.</summary>
public sealed record MarketResolved : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.MarketResolved;

    /// <summary>The resolution as parsed.</summary>
    public required MarketResolvedEvent Resolution { get; init; }
}
