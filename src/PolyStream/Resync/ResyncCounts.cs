namespace PolyStream.Resync;

/// <summary>What the resync scheduler has done (<see cref="Streamer.ResyncCounts"/>); all zero before it starts.</summary>
/// <param name="Requested">Resyncs requested, duplicates of a pending one not counted.</param>
/// <param name="Batches"><c>POST /books</c> calls made.</param>
/// <param name="Accepted">REST books that passed both guards and were handed to their book.</param>
/// <param name="RejectedGhosts">REST books refused because their top of book disagreed with the WebSocket's (ghost books).</param>
/// <param name="RejectedHashes">REST books refused because their own hash did not verify.</param>
/// <param name="Fallbacks">Tokens handed back to a WebSocket resubscribe after REST could not resync them.</param>
/// <param name="Failures">Failed <c>POST /books</c> calls.</param>
public readonly record struct ResyncCounts(
    long Requested,
    long Batches,
    long Accepted,
    long RejectedGhosts,
    long RejectedHashes,
    long Fallbacks,
    long Failures)
{
    /// <summary>Tokens whose hash metadata (and first base) a verified REST summary brought, at subscribe time or on a retry.</summary>
    public long MetadataFetched { get; init; }

    /// <summary>Times a token's metadata could not be fetched and was scheduled again (its book waiting Unsynced).</summary>
    public long MetadataRetries { get; init; }
}
