using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A match on a tracked token (<c>last_trade_price</c>).</summary>
public sealed record LastTradeReceived : BookStateEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.LastTrade;

    /// <summary>The trade as parsed.</summary>
    public required LastTradePriceEvent Trade { get; init; }
}
