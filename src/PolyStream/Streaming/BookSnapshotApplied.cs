using PolyStream.Books;

namespace PolyStream.Streaming;

/// <summary>A snapshot replaced a book and started a new epoch.</summary>
public sealed record BookSnapshotApplied : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.BookSnapshot;

    /// <summary>The book after the snapshot, with its trust state.</summary>
    public required BookView Book { get; init; }

    /// <summary>Where the snapshot came from.</summary>
    public SnapshotSource Source { get; init; }

    /// <summary>The snapshot's hash check; a mismatch leaves the book <see cref="BookTrustState.Suspect"/>.</summary>
    public HashCheck Hash { get; init; }
}
