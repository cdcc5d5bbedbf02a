
namespace PolyStream.Sharding;

/// <summary>How hard a book found stale is driven back to fresh data, harder each consecutive time.</summary>
internal enum StaleAction
{
    /// <summary>Not stale: nothing to do.</summary>
    None,

    /// <summary>First strike: resubscribe it, so the venue sends a fresh snapshot.</summary>
    Resubscribe,

    /// <summary>Second strike: move it to another connection.</summary>
    Relocate,

    /// <summary>Third strike: recycle the connection it is on (every book there re-bases).</summary>
    RecycleConnection,
}
