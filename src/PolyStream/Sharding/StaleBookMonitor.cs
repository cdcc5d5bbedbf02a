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
/// Used only from the shard's loop, like the engine it watches (but <see cref="IsDue"/>, which the shared tick asks). Only a requested witness may prove a book
/// stale: a resync answer is newer than a book whose frames still wait in the queue, and counting it as a
/// strike would turn a backlog into resubscribes, relocations and recycled connections.
/// <para>
/// A book a witness found merely quiet is witnessed again after twice the threshold, then four times, then every
/// <see cref="MaxBackoff"/> times it, until its next frame starts the count again. Ten thousand quiet books
/// would otherwise cost two hundred <c>POST /books</c> a minute for ever, most of an idle streamer's CPU. The
/// price is detection time for one quiet book whose subscription dies on its own: up to eight thresholds
/// instead of one. A connection that dies takes its busy books with it, and those are still witnessed after
/// one threshold.
/// </para>
/// </remarks>
internal sealed class StaleBookMonitor
{
    /// <summary>The longest wait between two witnesses of a quiet book, in thresholds.</summary>
    public const int MaxBackoff = 8;

    private readonly int _shardId;
    private readonly BookEngine _engine;
    private readonly IShardOwner _owner;
    private readonly TimeSpan _staleAfter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Books tracked but not yet based by the feed, with when they were (last) asked for: a venue that never
    // sends an asset's first snapshot must not leave it Unsynced forever.
    private readonly Dictionary<string, long> _firstSnapshotDue = new(StringComparer.Ordinal);

    // Synced books a witness was asked for, with when, until it comes.
    private readonly Dictionary<string, long> _witnessesDue = new(StringComparer.Ordinal);

    // Books a witness found quiet, until their next frame: when the last agreeing witness came, and how many
    // thresholds to wait for the next one.
    private readonly Dictionary<string, QuietBook> _quiet = new(StringComparer.Ordinal);
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
        _quiet.Remove(assetId);
    }

    /// <summary>Whether <see cref="Check"/> would look at the books at <paramref name="now"/>; safe from any thread (the shared tick asks).</summary>
    public bool IsDue(long now) => _time.GetElapsedTime(Volatile.Read(ref _lastCheck), now) >= _staleAfter;

    /// <summary>Asks for the witnesses that are due, at most once per threshold.</summary>
    public void Check()
    {
        var now = _time.GetTimestamp();
        if (!IsDue(now))
        {
            return;
        }

        Volatile.Write(ref _lastCheck, now);
        foreach (var view in _engine.GetAllOrderBooks())
        {
            if (view.State == BookTrustState.Synced)
            {
                _firstSnapshotDue.Remove(view.AssetId);
                if (IsWitnessDue(view, now))
                {
                    _witnessesDue[view.AssetId] = now;
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
        if (!_witnessesDue.Remove(snapshot.AssetId, out var askedAt) || view is not { State: BookTrustState.Synced, Summary.Timestamp: { } ours })
        {
            _engine.ApplyRestSnapshot(snapshot, now);
            return StaleAction.None;
        }

        if (snapshot.Timestamp is not { } theirs || theirs <= ours)
        {
            _owner.ClearStaleStrikes(snapshot.AssetId);
            Quiet(view, askedAt);
            return StaleAction.None;
        }

        _quiet.Remove(snapshot.AssetId);
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

    /// <summary>
    /// Whether a synced book is due a witness: silent for a threshold, or, when a witness already found it quiet
    /// and no frame came since, for its backed-off wait after that witness.
    /// </summary>
    private bool IsWitnessDue(BookView view, long now)
    {
        if (_quiet.TryGetValue(view.AssetId, out var quiet))
        {
            if (quiet.LastFrame == view.ReceiveTimestamp)
            {
                return _time.GetElapsedTime(quiet.Confirmed, now) >= _staleAfter * quiet.Thresholds;
            }

            _quiet.Remove(view.AssetId); // A frame came: the book is live again.
        }

        return _time.GetElapsedTime(view.ReceiveTimestamp, now) >= _staleAfter;
    }

    /// <summary>
    /// A witness asked for at <paramref name="askedAt"/> agreed with a book: the next one waits twice as long as the
    /// last, up to <see cref="MaxBackoff"/> thresholds. Counted from the ask, which falls on a check, so the next
    /// witness falls on a check too rather than one threshold later.
    /// </summary>
    private void Quiet(BookView view, long askedAt)
    {
        var thresholds = _quiet.TryGetValue(view.AssetId, out var quiet) && quiet.LastFrame == view.ReceiveTimestamp
            ? Math.Min(quiet.Thresholds * 2, MaxBackoff)
            : 2;
        _quiet[view.AssetId] = new QuietBook(view.ReceiveTimestamp, askedAt, thresholds);
    }

    /// <summary>A quiet book: its last frame's timestamp, when the last witness that agreed with it was asked for, and the thresholds until the next.</summary>
    private readonly record struct QuietBook(long LastFrame, long Confirmed, int Thresholds);
}
