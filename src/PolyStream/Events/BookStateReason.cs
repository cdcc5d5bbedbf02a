namespace PolyStream.Events;

/// <summary>Why a book's trust state changed.</summary>
public enum BookStateReason
{
    /// <summary>A WebSocket <c>book</c> snapshot re-based the book and its hash matched (or was not checked).</summary>
    Snapshot,

    /// <summary>A REST snapshot re-based the book (and the deltas received after it were replayed and verified).</summary>
    RestSnapshot,

    /// <summary>
    /// A snapshot's hash did not match; it is held as suspect for the tolerance window in case a
    /// <c>last_trade_price</c> that the venue already hashed arrives just after it (POLYMARKET.md §3.4).
    /// </summary>
    SnapshotHashPending,

    /// <summary>A held snapshot matched once the newer last trade price arrived: the benign race was tolerated.</summary>
    LastTradeRaceTolerated,

    /// <summary>A hash did not match (or a held snapshot still did not match when its window ended).</summary>
    HashMismatch,

    /// <summary>The market's two books are not mirror images of each other.</summary>
    MirrorMismatch,

    /// <summary>The tick size changed: the book is dropped until the next snapshot.</summary>
    TickSizeChange,

    /// <summary>A fresh snapshot was requested.</summary>
    ResyncRequested,

    /// <summary>A staleness monitor marked the book stale.</summary>
    MarkedStale,

    /// <summary>A REST snapshot was older than deltas already applied or no longer buffered, which cannot be replayed on top of it.</summary>
    SnapshotTooOld,

    /// <summary>The book was loaded from a checkpoint.</summary>
    Restored,

    /// <summary>
    /// The token's hash metadata (<c>min_order_size</c>, <c>neg_risk</c>; absent from WebSocket books) is not
    /// known yet: its snapshots base the book unhashed and it stays <see cref="BookTrustState.Unsynced"/>
    /// while REST <c>/books</c> is retried with backoff. Never raised as a hash mismatch.
    /// </summary>
    MetadataUnavailable,

    /// <summary>The metadata arrived and the book held since its first snapshot verified against the venue's latest hash.</summary>
    MetadataReceived,

    /// <summary>
    /// A change left the book crossed or locked (best bid at or above best ask). The venue does this
    /// briefly (POLYMARKET.md §1.7), so the book is <see cref="BookTrustState.Suspect"/>, not resynced; its
    /// hashes are still checked, and it turns <see cref="BookTrustState.Synced"/> again once uncrossed.
    /// </summary>
    Crossed,

    /// <summary>A crossed or locked book is no longer: best bid below best ask again (or a side empty).</summary>
    Uncrossed,
}
