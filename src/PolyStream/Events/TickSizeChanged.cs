using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A tracked token's tick size changed; its book is dropped (new epoch, unsynced) until the next snapshot.</summary>
public sealed record TickSizeChanged : BookStateEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.TickSizeChange;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The tick before the change.</summary>
    public ExactDecimal OldTickSize { get; init; }

    /// <summary>The tick after the change.</summary>
    public ExactDecimal NewTickSize { get; init; }

    /// <summary>Unix milliseconds of the change, as the venue stamped it.</summary>
    public long? Timestamp { get; init; }
}
