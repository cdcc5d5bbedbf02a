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
}
