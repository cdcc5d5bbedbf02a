using System.Collections.Immutable;
using PolyStream.Books;

namespace PolyStream.Events;

/// <summary>The entries of one <c>price_change</c> message for one token were applied to its book.</summary>
public sealed record BookDeltaApplied : BookStateEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.BookDelta;

    /// <summary>The changed levels, only this token's, in wire order.</summary>
    public required ImmutableArray<LevelChange> Changes { get; init; }

    /// <summary>The hash check made after applying; <see cref="HashOutcome.NotChecked"/> when sampled out or off.</summary>
    internal HashCheck Hash { get; init; }
}
