using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>A hash the venue sent did not match the local book; the book is no longer trusted.</summary>
public sealed record HashMismatchDetected : StreamEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.HashMismatch;

    /// <summary>Whether the hash came with a snapshot (<c>book</c>); <see langword="false"/> when it came with a <c>price_change</c>.</summary>
    public bool FromSnapshot { get; init; }

    /// <summary>The hash the venue sent.</summary>
    public BookHash Expected { get; init; }

    /// <summary>The hash of the local book.</summary>
    public BookHash Actual { get; init; }

    /// <summary>Whether the mismatch is held within the last-trade tolerance window rather than final.</summary>
    public bool Pending { get; init; }
}
