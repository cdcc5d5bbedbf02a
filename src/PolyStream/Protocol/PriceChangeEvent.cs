using System.Collections.Immutable;

namespace PolyStream.Protocol;

/// <summary>Level changes to one market's books (<c>price_change</c>), normalised from any of its three shapes.</summary>
internal sealed record PriceChangeEvent : WireEvent
{
    /// <inheritdoc />
    public override WireEventKind Kind => WireEventKind.PriceChange;

    /// <summary>The market's condition id.</summary>
    public required string Market { get; init; }

    /// <summary>Unix milliseconds of the change; the hash of every entry is computed with it.</summary>
    public long? Timestamp { get; init; }

    /// <summary>The changes in wire order; one message may mix both tokens of the market.</summary>
    public ImmutableArray<PriceChange> Changes { get; init; } = [];

    /// <summary>The layout the message arrived in.</summary>
    public PriceChangeShape Shape { get; init; }
}
