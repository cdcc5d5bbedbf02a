
namespace PolyStream.Events;

/// <summary>The last event a subscriber receives when its overflow policy or the bus ended it.</summary>
public sealed record SubscriberDisconnected : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.Disconnected;

    /// <summary>Why the subscriber was ended, for a log line.</summary>
    public required string Reason { get; init; }
}
