using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A market was created (<c>new_market</c>), passed through whatever the tracked set.</summary>
public sealed record MarketCreated : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.NewMarket;

    /// <summary>The market as parsed.</summary>
    public required NewMarketEvent Market { get; init; }
}
