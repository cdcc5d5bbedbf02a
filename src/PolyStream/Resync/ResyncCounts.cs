
namespace PolyStream.Resync;

/// <summary>What the resync scheduler has done.</summary>
public sealed record ResyncCounts
{
    /// <summary>Resyncs requested, duplicates of a pending one not counted.</summary>
    public long Requested { get; init; }

    /// <summary><c>POST /books</c> calls made.</summary>
    public long Batches { get; init; }

    /// <summary>REST books that passed both guards and were handed to their book.</summary>
    public long Accepted { get; init; }

    /// <summary>REST books refused because their top of book disagreed with the WebSocket's (ghost books).</summary>
    public long RejectedGhosts { get; init; }

    /// <summary>REST books refused because their own hash did not verify.</summary>
    public long RejectedHashes { get; init; }

    /// <summary>Tokens handed back to a WebSocket resubscribe after REST could not resync them.</summary>
    public long Fallbacks { get; init; }

    /// <summary>Failed <c>POST /books</c> calls.</summary>
    public long Failures { get; init; }
}
