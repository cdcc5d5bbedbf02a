
namespace PolyStream.Protocol;

/// <summary>The minimum tick of a token changed (<c>tick_size_change</c>); the book must be re-based from the next snapshot.</summary>
internal sealed record TickSizeChangeEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.TickSizeChange;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>The token id.</summary>
    public required string AssetId { get; init; }

    /// <summary>The tick before the change.</summary>
    public ExactDecimal OldTickSize { get; init; }

    /// <summary>The tick after the change.</summary>
    public ExactDecimal NewTickSize { get; init; }

    /// <summary>Unix milliseconds of the change.</summary>
    public long? Timestamp { get; init; }
}
