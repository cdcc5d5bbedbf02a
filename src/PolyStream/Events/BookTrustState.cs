
namespace PolyStream.Events;

/// <summary>How far a local book can be trusted to equal the venue's book right now.</summary>
public enum BookTrustState
{
    /// <summary>No snapshot has based the book yet (or a tick size change dropped it); deltas are held back.</summary>
    Unsynced,

    /// <summary>Based on a snapshot and every checked hash since has matched (or hash checking is off).</summary>
    Synced,

    /// <summary>A check failed (hash or mirror): the book may differ from the venue's and must not be trusted.</summary>
    Suspect,

    /// <summary>A fresh snapshot has been requested and has not arrived yet; the book is not trusted.</summary>
    Resyncing,

    /// <summary>A staleness monitor found the asset quiet and a witness disagreeing; not trusted until re-based.</summary>
    Stale,

    /// <summary>Loaded from a checkpoint at start-up: shown at once but not yet confirmed by the feed; deltas wait for the next snapshot.</summary>
    Restored,
}
