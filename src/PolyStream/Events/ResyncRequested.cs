using PolyStream.Engine;

namespace PolyStream.Events;

/// <summary>A book needs a fresh snapshot; a resync scheduler fetches one and hands it to <see cref="BookEngine.ApplyRestSnapshot"/>.</summary>
public sealed record ResyncRequested : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.ResyncRequested;

    /// <summary>Why the resync is needed.</summary>
    public BookStateReason Reason { get; init; }
}
