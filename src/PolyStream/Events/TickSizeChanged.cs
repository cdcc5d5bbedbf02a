using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A tracked token's tick size changed; its book is dropped (new epoch, unsynced) until the next snapshot.</summary>
public sealed record TickSizeChanged : BookStateEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.TickSizeChange;

    /// <summary>The change as parsed.</summary>
    public required TickSizeChangeEvent Change { get; init; }
}
