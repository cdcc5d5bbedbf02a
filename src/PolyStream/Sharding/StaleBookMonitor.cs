using Microsoft.Extensions.Logging;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Sharding;

/// <summary>
/// Finds a shard's books that went quiet and proves them stale with a REST witness: asks for a witness of
/// every synced book silent past the threshold (and of every book still waiting for its first snapshot),
/// judges each witness when it comes, and says how hard to drive a stale book back to fresh data.
/// </summary>
/// <remarks>
/// Used only from the shard's loop, like the engine it watches. Only a requested witness may prove a book
/// stale: a resync answer is newer than a book whose frames still wait in the queue, and counting it as a
/// strike would turn a backlog into resubscribes, relocations and recycled connections.
/// </remarks>
internal sealed class StaleBookMonitor
{
    private readonly int _shardId;
    private readonly BookEngine _engine;
    private readonly IShardOwner _owner;
    private readonly TimeSpan _staleAfter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Books tracked but not yet based by the feed, with when they were (last) asked for: a venue that never
    // sends an asset's first snapshot must not leave it Unsynced forever.
    private readonly Dictionary<string, long> _firstSnapshotDue = new(StringComparer.Ordinal);

    // Synced books a witness was asked for, until it comes.
    private readonly HashSet<string> _witnessesDue = new(StringComparer.Ordinal);
    private long _lastCheck;

    public StaleBookMonitor(int shardId, BookEngine engine, IShardOwner owner, TimeSpan staleAfter, TimeProvider time, ILogger logger)
    {
        _shardId = shardId;
        _engine = engine;
        _owner = owner;
        _staleAfter = staleAfter;
        _time = time;
        _logger = logger;
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>A book is now tracked and waits for its first snapshot.</summary>
    public void Tracked(string assetId) => _firstSnapshotDue[assetId] = _time.GetTimestamp();

    /// <summary>A book is no longer tracked: nothing is due for it.</summary>
    public void Untracked(string assetId)
    {
        _firstSnapshotDue.Remove(assetId);
        _witnessesDue.Remove(assetId);
    }

    /// <summary>Asks for the witnesses that are due, at most once per threshold.</summary>
    public void Check()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastCheck, now) < _staleAfter)
        {
            return;
        }

        _lastCheck = now;
        foreach (var view in _engine.GetAllOrderBooks())
        {
            if (view.State == BookTrustState.Synced)
            {
                _firstSnapshotDue.Remove(view.AssetId);
                if (_time.GetElapsedTime(view.ReceiveTimestamp, now) >= _staleAfter)
                {
                    _witnessesDue.Add(view.AssetId);
                    _owner.RequestWitness(view.AssetId);
                }
            }
            else if (_firstSnapshotDue.TryGetValue(view.AssetId, out var since) && _time.GetElapsedTime(since, now) >= _staleAfter)
            {
                _firstSnapshotDue[view.AssetId] = now;
                _owner.RequestWitness(view.AssetId);
            }
        }
    }

    /// <summary>
    /// Applies a verified REST book: a resync answer, or a witness. A witness newer than a synced book proves
    /// the book stale: it is marked so and re-based, and the action for its consecutive strike is returned.
    /// A witness no newer than the book agrees with it and changes nothing. Anything else is the engine's to
    /// apply or refuse.
    /// </summary>
    public StaleAction OnRestSnapshot(BookEvent snapshot)
    {
        var now = _time.GetTimestamp();
        var view = _engine.GetOrderBook(snapshot.AssetId);
        if (!_witnessesDue.Remove(snapshot.AssetId) || view is not { State: BookTrustState.Synced, Summary.Timestamp: { } ours })
        {
            _engine.ApplyRestSnapshot(snapshot, now);
            return StaleAction.None;
        }

        if (snapshot.Timestamp is not { } theirs || theirs <= ours)
        {
            _owner.ClearStaleStrikes(snapshot.AssetId);
            return StaleAction.None;
        }

        _engine.MarkStale(snapshot.AssetId, now);
        var strikes = _owner.AddStaleStrike(snapshot.AssetId);
        ShardingLog.StaleBook(_logger, snapshot.AssetId, _shardId, strikes);
        _engine.ApplyRestSnapshot(snapshot, now);
        switch (strikes)
        {
            case 1:
                return StaleAction.Resubscribe;
            case 2:
                return StaleAction.Relocate;
            default:
                _owner.ClearStaleStrikes(snapshot.AssetId);
                return StaleAction.RecycleConnection;
        }
    }
}
