using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Diagnostics;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Sharding;

/// <summary>
/// One market-channel connection and the books it feeds: the <see cref="WsClient"/> reader copies
/// each frame into a bounded queue and returns at once; one loop task owns the <see cref="BookEngine"/>
/// (its single writer) and also applies REST snapshots, re-bases books after a reconnect, and checks
/// for assets that went quiet.
/// </summary>
internal sealed class MarketShard : IFrameSink, IAsyncDisposable
{
    private const int MaxPooledFrameBytes = 64 * 1024;
    private const int PooledFramesPerSize = 1024;

    private readonly StreamerConfig _config;
    private readonly BookEngine _engine;
    private readonly WsClient _client;
    private readonly Channel<ShardFrame> _frames;

    // The shard's own frame buffers: rented by the reader, returned by the loop. The shared pool keeps only a
    // few dozen buffers a size, so a backlog of a few hundred frames would allocate (and feed the GC) per frame.
    private readonly ArrayPool<byte> _buffers = ArrayPool<byte>.Create(MaxPooledFrameBytes, PooledFramesPerSize);
    private readonly ConcurrentQueue<ShardWork> _control = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StreamerMetrics _metrics;
    private readonly Func<string, Task> _relocate;

    // Shared by every shard of the streamer: a book moved to another connection keeps its count there.
    private readonly ConcurrentDictionary<string, int> _staleStrikes;

    // Books tracked but not yet based by the feed, with when they were (last) asked for: a venue that never
    // sends an asset's first snapshot must not leave it Unsynced forever. Touched only by the writer loop.
    private readonly Dictionary<string, long> _firstSnapshotDue = new(StringComparer.Ordinal);

    // Synced books a REST witness was asked for, until it comes. Only a witness may prove a book stale: a resync
    // answer is newer than a book whose frames still wait in the queue, and counting it as a strike would turn a
    // backlog into resubscribes, relocations and recycled connections. Touched only by the writer loop.
    private readonly HashSet<string> _witnessesDue = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<string> _assets = new(StringComparer.Ordinal);
    private Task? _loop;
    private ITimer? _wakeTimer;
    private long _connectionId;
    private long _droppedFrames;
    private long _lastStaleCheck;
    private int _overflowPosted;
    private int _disposed;

    public MarketShard(int id, StreamerConfig config, WsConfig ws, EventBus bus, Action<string> resyncRequested, Action<string> witnessRequested, Func<string, Task> relocate, ConcurrentDictionary<string, int> staleStrikes, MarketEventGate marketEvents, StreamerMetrics metrics, ILoggerFactory loggers)
    {
        _staleStrikes = staleStrikes;
        _relocate = relocate;
        _metrics = metrics;
        Id = id;
        _config = config;
        _time = config.TimeProvider;
        _logger = loggers.CreateLogger<MarketShard>();
        WitnessRequested = witnessRequested;
        _engine = new BookEngine(bus, BookEngineOptions.Default with { AutoSyncOnHashMismatch = config.AutoSyncOnHashMismatch, HashPolicy = config.HashPolicy }, _time, resyncRequested, loggers.CreateLogger<BookEngine>())
        {
            Translator = new VenueEventTranslator(marketEvents, userChannel: false),
        };
        _client = new WsClient(ws, this, loggers.CreateLogger<WsClient>());
        _frames = Channel.CreateBounded<ShardFrame>(new BoundedChannelOptions(config.ShardQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>The shard's index within the streamer.</summary>
    public int Id { get; }

    /// <summary>The assets this shard carries.</summary>
    public int AssetCount
    {
        get
        {
            lock (_assets)
            {
                return _assets.Count;
            }
        }
    }

    /// <summary>The engine's books; read-only access is safe from any thread.</summary>
    public BookEngine Engine => _engine;

    /// <summary>The connection's health and the shard's own counters.</summary>
    public ShardHealth Health => new()
    {
        Shard = Id,
        Connection = _client.Health,
        Assets = AssetCount,
        Books = _engine.Counts,
        DroppedFrames = Interlocked.Read(ref _droppedFrames),
    };

    private Action<string> WitnessRequested { get; }

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        // One timer for the loop's timeouts, re-armed each turn: waiting with a timeout per turn would allocate a task and a timer each time.
        _wakeTimer = _time.CreateTimer(static shard => ((MarketShard)shard!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _loop = RunAsync(_stopping.Token);
        await _client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tracks and subscribes <paramref name="assets"/>; each book in <paramref name="restore"/> (one of those assets) starts from it.</summary>
    public async ValueTask AddAsync(IReadOnlyCollection<string> assets, IEnumerable<BookCheckpoint> restore, CancellationToken cancellationToken)
    {
        lock (_assets)
        {
            _assets.UnionWith(assets);
        }

        // Tracking (and any restored book) is queued before the subscribe is sent, so the initial dump finds its books.
        Post(new ShardWork.Track(assets));
        foreach (var saved in restore)
        {
            Post(new ShardWork.Restore(saved));
        }

        await _client.SubscribeAsync(assets, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RemoveAsync(IReadOnlyCollection<string> assets, CancellationToken cancellationToken)
    {
        lock (_assets)
        {
            _assets.ExceptWith(assets);
        }

        await _client.UnsubscribeAsync(assets, cancellationToken).ConfigureAwait(false);
        Post(new ShardWork.Untrack(assets));
    }

    /// <summary>Queues a verified REST snapshot for the writer loop.</summary>
    public void ApplyRestSnapshot(BookEvent snapshot) => Post(new ShardWork.RestSnapshot(snapshot));

    /// <summary>Resubscribes one asset so the venue sends a fresh snapshot.</summary>
    public void Resubscribe(string assetId) => Post(new ShardWork.Resubscribe(assetId));

    /// <inheritdoc />
    public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId)
    {
        // The exact bytes, before any parsing, so a recording can be re-verified by any later version.
        _config.Recorder?.Append(frame, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, (ushort)Id);

        var buffer = _buffers.Rent(frame.Length);
        frame.CopyTo(buffer);
        if (!_frames.Writer.TryWrite(new ShardFrame(buffer, frame.Length, receivedAtTimestamp)))
        {
            // The reader never waits: a full queue drops the frame, and the loop re-bases every book it may have touched.
            // One re-base covers every frame dropped until the loop gets to it; a request per dropped frame would
            // queue a resync of every book per frame and turn an overload into a resync storm.
            _buffers.Return(buffer);
            Interlocked.Increment(ref _droppedFrames);
            if (Interlocked.Exchange(ref _overflowPosted, 1) == 0)
            {
                Post(ShardWork.Overflowed.Instance);
            }
        }
    }

    /// <inheritdoc />
    public void OnStateChanged(WsStateChange change)
    {
        // A new connection lost whatever was sent while the old one was down: every book must re-base.
        if (change.State == WsState.Subscribed && Interlocked.Exchange(ref _connectionId, change.ConnectionId) is var previous && previous != 0 && previous != change.ConnectionId)
        {
            Post(ShardWork.Reconnected.Instance);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _client.DisposeAsync().ConfigureAwait(false);
        if (_wakeTimer is not null)
        {
            await _wakeTimer.DisposeAsync().ConfigureAwait(false);
        }

        _frames.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>Queues control work, which is never dropped, and wakes the loop (a full frame queue means it is awake anyway).</summary>
    private void Post(ShardWork work)
    {
        _control.Enqueue(work);
        Wake();
    }

    private void Wake() => _frames.Writer.TryWrite(ShardFrame.Wake);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _frames.Reader;
        _lastStaleCheck = _time.GetTimestamp();
        try
        {
            while (true)
            {
                var wait = _engine.TimeUntilNextTimeout ?? _config.StaleCheckInterval;
                _wakeTimer!.Change(wait < _config.StaleCheckInterval ? wait : _config.StaleCheckInterval, Timeout.InfiniteTimeSpan);
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                // Control first: a Track must be in place before the frames its subscribe brings.
                while (true)
                {
                    if (_control.TryDequeue(out var control))
                    {
                        await HandleAsync(control).ConfigureAwait(false);
                    }
                    else if (reader.TryRead(out var frame))
                    {
                        Process(frame);
                    }
                    else
                    {
                        break;
                    }
                }

                _engine.CheckTimeouts();
                CheckStaleness();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal.
        }
    }

    private void Process(ShardFrame frame)
    {
        if (frame.Buffer is not { } buffer)
        {
            return;
        }

        try
        {
            _engine.Process(buffer.AsSpan(0, frame.Length), frame.ReceivedAt);
            _metrics.RecordFrame(_time, frame.ReceivedAt);
        }
        finally
        {
            _buffers.Return(buffer);
        }
    }

    private async ValueTask HandleAsync(ShardWork work)
    {
        switch (work)
        {
            case ShardWork.Track track:
                foreach (var asset in track.Assets)
                {
                    _engine.Track(asset);
                    _firstSnapshotDue[asset] = _time.GetTimestamp();
                }

                break;
            case ShardWork.Restore restore:
                _engine.Restore(restore.Checkpoint.Summary, restore.Checkpoint.Epoch, restore.Checkpoint.Seq, _time.GetTimestamp());
                break;
            case ShardWork.Untrack untrack:
                foreach (var asset in untrack.Assets)
                {
                    _engine.Untrack(asset);
                    _firstSnapshotDue.Remove(asset);
                    _witnessesDue.Remove(asset);
                }

                break;
            case ShardWork.RestSnapshot rest:
                await RedriveAsync(rest.Snapshot.AssetId, ApplyWitness(rest.Snapshot)).ConfigureAwait(false);
                break;
            case ShardWork.Resubscribe resubscribe:
                await ResubscribeAsync(resubscribe.AssetId).ConfigureAwait(false);
                break;
            case ShardWork.Reconnected:
                ResyncAll("reconnected");
                break;
            case ShardWork.Overflowed:
                // Cleared first: a frame dropped from here on may postdate the re-base below, so it asks for another.
                Volatile.Write(ref _overflowPosted, 0);
                ResyncAll("frame queue overflowed");
                break;
        }
    }

    /// <summary>
    /// A REST book arrived: a resync answer, or a witness for a quiet book. A witness newer than a
    /// synced book proves the book went stale: it is marked so and re-based, and the count of
    /// consecutive stale findings is returned for the caller to redrive it (0 when not stale). A
    /// witness no newer than a synced book agrees with it and changes nothing. Anything else is
    /// the engine's to apply or refuse.
    /// </summary>
    private int ApplyWitness(BookEvent snapshot)
    {
        var now = _time.GetTimestamp();
        var view = _engine.GetOrderBook(snapshot.AssetId);
        if (_witnessesDue.Remove(snapshot.AssetId) && view is { State: BookTrustState.Synced, Summary.Timestamp: { } ours })
        {
            if (snapshot.Timestamp is not { } theirs || theirs <= ours)
            {
                _staleStrikes.TryRemove(snapshot.AssetId, out _);
                return 0;
            }

            _engine.MarkStale(snapshot.AssetId, now);
            var strikes = _staleStrikes.AddOrUpdate(snapshot.AssetId, 1, static (_, count) => count + 1);
            ShardingLog.StaleBook(_logger, snapshot.AssetId, Id, strikes);
            _engine.ApplyRestSnapshot(snapshot, now);
            return strikes;
        }

        _engine.ApplyRestSnapshot(snapshot, now);
        return 0;
    }

    /// <summary>
    /// Redrives a stale book, harder each time it is found stale again: resubscribe it; then move it
    /// to another connection; then recycle the connection it is on (every book on it re-bases).
    /// </summary>
    private async ValueTask RedriveAsync(string assetId, int strikes)
    {
        switch (strikes)
        {
            case 0:
                return;
            case 1:
                await ResubscribeAsync(assetId).ConfigureAwait(false);
                break;
            case 2:
                await _relocate(assetId).ConfigureAwait(false);
                break;
            default:
                _staleStrikes.TryRemove(assetId, out _);
                ShardingLog.Recycling(_logger, Id, assetId);
                _client.Recycle();
                break;
        }
    }

    /// <summary>
    /// Asks for a REST witness of every synced book that has been silent past the threshold, and of every
    /// book still waiting for its first snapshot that long (the witness then bases it), at most once per threshold.
    /// </summary>
    private void CheckStaleness()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastStaleCheck, now) < _config.StaleAfter)
        {
            return;
        }

        _lastStaleCheck = now;
        foreach (var view in _engine.GetAllOrderBooks())
        {
            if (view.State == BookTrustState.Synced)
            {
                _firstSnapshotDue.Remove(view.AssetId);
                if (_time.GetElapsedTime(view.ReceiveTimestamp, now) >= _config.StaleAfter)
                {
                    _witnessesDue.Add(view.AssetId);
                    WitnessRequested(view.AssetId);
                }
            }
            else if (_firstSnapshotDue.TryGetValue(view.AssetId, out var since) && _time.GetElapsedTime(since, now) >= _config.StaleAfter)
            {
                _firstSnapshotDue[view.AssetId] = now;
                WitnessRequested(view.AssetId);
            }
        }
    }

    private void ResyncAll(string reason)
    {
        ShardingLog.ShardResync(_logger, Id, reason);
        foreach (var view in _engine.GetAllOrderBooks())
        {
            _engine.RequestResync(view.AssetId, _time.GetTimestamp());
        }
    }

    private async ValueTask ResubscribeAsync(string assetId)
    {
        try
        {
            await _client.UnsubscribeAsync([assetId]).ConfigureAwait(false);
            await _client.SubscribeAsync([assetId]).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The shard is closing.
        }
    }
}
