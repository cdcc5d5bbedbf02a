
namespace PolyStream.Sharding;

/// <summary>
/// What a shard asks of the set that owns it. Every call only enqueues and returns at once: a shard's
/// loop owns its books and must never wait on work that spans the streamer.
/// </summary>
internal interface IShardOwner
{
    /// <summary>A book needs a fresh snapshot (a mismatch, a gap, a reconnect).</summary>
    public void RequestResync(string assetId);

    /// <summary>A quiet book, or one still waiting for its first snapshot, should be compared with a REST witness.</summary>
    public void RequestWitness(string assetId);

    /// <summary>A book that keeps going stale should move to another connection.</summary>
    public void RequestRelocation(string assetId);

    /// <summary>Counts one more consecutive stale finding of a book and returns the count; a moved book keeps its count.</summary>
    public int AddStaleStrike(string assetId);

    /// <summary>A witness agreed with the book: its consecutive stale findings start again from zero.</summary>
    public void ClearStaleStrikes(string assetId);
}
