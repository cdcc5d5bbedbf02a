using PolyStream.Books;

namespace PolyStream.Events;

/// <summary>A snapshot replaced a book and started a new epoch.</summary>
public sealed record BookSnapshotApplied : BookStateEvent
{
    /// <inheritdoc />
    public override StreamEventKind Kind => StreamEventKind.BookSnapshot;


    /// <summary>Where the snapshot came from.</summary>
    public SnapshotSource Source { get; init; }

    /// <summary>The snapshot's hash check; a mismatch leaves the book <see cref="BookTrustState.Suspect"/>.</summary>
    public HashCheck Hash { get; init; }
}
