using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A user-channel order event, passed through unchanged.</summary>
public sealed record UserOrderReceived : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.UserOrder;

    /// <summary>The order event as parsed.</summary>
    public required OrderEvent Order { get; init; }
}
