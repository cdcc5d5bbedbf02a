
namespace PolyStream.Events;

/// <summary>A book needs a fresh snapshot; the streamer's resync scheduler fetches one over REST (<see cref="StreamerConfig.Resync"/>).</summary>
public sealed record ResyncRequested : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.ResyncRequested;

    /// <summary>Why the resync is needed.</summary>
    public BookStateReason Reason { get; init; }
}
