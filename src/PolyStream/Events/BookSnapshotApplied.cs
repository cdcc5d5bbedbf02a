using PolyStream.Books;

namespace PolyStream.Events;

/// <summary>A snapshot replaced a book and started a new epoch.</summary>
public sealed record BookSnapshotApplied : BookStateEvent
{
    /// <inheritdoc />
    internal override StreamEventKind Kind => StreamEventKind.BookSnapshot;

    /// <summary>Whether the snapshot was fetched over REST to resync the book; <see langword="false"/> for a <c>book</c> event on the market channel.</summary>
    public bool FromRest { get; init; }

    /// <summary>The snapshot's hash check; a mismatch leaves the book <see cref="BookTrustState.Suspect"/>.</summary>
    internal HashCheck Hash { get; init; }
}
