using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A user-channel trade event, passed through unchanged.</summary>
public sealed record UserTradeReceived : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.UserTrade;

    /// <summary>The trade event as parsed.</summary>
    public required TradeEvent Trade { get; init; }
}
