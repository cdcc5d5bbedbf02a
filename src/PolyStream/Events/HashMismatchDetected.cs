using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A hash the venue sent did not match the local book; the book is no longer trusted.</summary>
public sealed record HashMismatchDetected : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.HashMismatch;

    /// <summary>The event that carried the hash (<c>book</c> or <c>price_change</c>).</summary>
    public WireEventKind Source { get; init; }

    /// <summary>The hash the venue sent.</summary>
    public BookHash Expected { get; init; }

    /// <summary>The hash of the local book.</summary>
    public BookHash Actual { get; init; }

    /// <summary>Whether the mismatch is held within the last-trade tolerance window rather than final.</summary>
    public bool Pending { get; init; }
}
