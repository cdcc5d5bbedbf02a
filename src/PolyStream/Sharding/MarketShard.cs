using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Diagnostics;
using PolyStream.Engine;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Sharding;

/// <summary>
/// One market-channel connection and the books it feeds. One writer at a time owns the <see cref="BookEngine"/>:
/// a frame that finds the shard idle (its loop parked, nothing queued) is processed by the <see cref="WsClient"/>
/// reader itself, so at the venue's usual rates a frame wakes no other thread; any other frame is copied into a
/// bounded queue and the reader returns at once. The loop task drains that queue and also applies REST
/// snapshots, re-bases books after a reconnect, and checks for assets that went quiet on the shared tick.
/// </summary>
/// <remarks>
/// The reader never waits for the loop (invariant 5): it takes the engine only when nobody holds it, and a frame
/// large enough to take long (an initial dump) always goes to the loop. Order is kept because the reader takes
/// the inline path only while no earlier frame or control work is queued or in progress.
/// </remarks>
internal sealed class MarketShard : IFrameSink, ITickHandler, IAsyncDisposable
{
    private const int MaxPooledFrameBytes = 64 * 1024;
    private const int PooledFramesPerSize = 1024;

    /// <summary>The largest frame the reader processes itself; a bigger one (a dump of many books) costs enough to be the loop's.</summary>
    internal const int MaxInlineFrameBytes = 16 * 1024;

    // Who holds the engine: Busy while the loop runs (from construction until it parks to wait) or the reader
    // processes a frame inline; Idle only while the loop waits with nothing to do.
    private const int Idle = 0;
    private const int Busy = 1;

    private readonly ShardSettings _settings;
    private readonly BookEngine _engine;
    private readonly StaleBookMonitor _staleBooks;
    private readonly IShardOwner _owner;
    private readonly WsClient _client;
    private readonly Channel<ShardFrame> _frames;

    // The shard's own frame buffers: rented by the reader, returned by the loop. The shared pool keeps only a
    // few dozen buffers a size, so a backlog of a few hundred frames would allocate (and feed the GC) per frame.
    private readonly ArrayPool<byte> _buffers = ArrayPool<byte>.Create(MaxPooledFrameBytes, PooledFramesPerSize);
    private readonly ConcurrentQueue<ShardWork> _control = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StreamerMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<string> _assets = new(StringComparer.Ordinal);
    private readonly DroppedBooks _dropped = new();
    private Task? _loop;
    private ITimer? _wakeTimer;
    private long _connectionId;
    private long _droppedFrames;
    private long _inlineFrames;
    private long _queuedBytes;
    private int _engineOwner = Busy;
    private bool _wakeArmed;
    private int _disposed;
    private int _lastState;

    /// <summary>Creates a shard; it connects on <see cref="StartAsync"/>.</summary>
    /// <param name="id">The shard's index within its set.</param>
    /// <param name="settings">The connection, engine and staleness settings.</param>
    /// <param name="sink">Where the engine's events go (the streamer's bus).</param>
    /// <param name="owner">The set that owns this shard: resyncs, witnesses, relocations and strike counts go there.</param>
    /// <param name="translator">Translates listings and resolutions, shared by every shard of the set.</param>
    /// <param name="metadata">The hash metadata of every token, shared by every shard of the set.</param>
    /// <param name="metrics">Where frame latency is recorded.</param>
    /// <param name="loggers">Where the shard, its engine and its connection log.</param>
    public MarketShard(int id, ShardSettings settings, IEventSink sink, IShardOwner owner, VenueEventTranslator translator, BookMetadataCache metadata, StreamerMetrics metrics, ILoggerFactory loggers)
    {
        Id = id;
        _settings = settings;
        _owner = owner;
        _metrics = metrics;
        _time = settings.Time;
        _logger = loggers.CreateLogger<MarketShard>();
        _engine = new BookEngine(sink, settings.Engine, _time, owner.RequestResync, loggers.CreateLogger<BookEngine>())
        {
            Translator = translator,
            Metadata = metadata,
        };
        _staleBooks = new StaleBookMonitor(id, _engine, owner, settings.StaleAfter, _time, _logger);
        _client = new WsClient(settings.Ws, this, loggers.CreateLogger<WsClient>(), settings.Ticker);
        _frames = Channel.CreateBounded<ShardFrame>(new BoundedChannelOptions(settings.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
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

    /// <summary>Whether the loop is parked with nothing to do and the engine free: a small frame arriving now is processed inline.</summary>
    internal bool IsIdle => Volatile.Read(ref _engineOwner) == Idle && _frames.Reader.Count == 0 && _control.IsEmpty;

    /// <summary>Frames the socket reader processed itself because the shard was idle, rather than queueing them for the loop.</summary>
    internal long InlineFrames => Interlocked.Read(ref _inlineFrames);

    /// <summary>How long the connection has delivered no market data; <see langword="null"/> before its first. Safe from any thread.</summary>
    internal TimeSpan? DataSilence => _client.Health.LastDataFrameAge;

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

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        // One timer for the engine's own timeouts, armed only while one is pending; the look for quiet books rides the shared tick.
        _wakeTimer = _time.CreateTimer(static shard => ((MarketShard)shard!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _loop = RunAsync(_stopping.Token);
        _settings.Ticker.Register(this);
        await _client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Tracks and subscribes <paramref name="assets"/>; each book in <paramref name="restore"/> (one of those assets)
    /// starts from it, and each REST summary in <paramref name="firstBases"/> then bases its book.
    /// </summary>
    public async ValueTask AddAsync(IReadOnlyCollection<string> assets, IEnumerable<BookCheckpoint> restore, IEnumerable<BookEvent> firstBases, CancellationToken cancellationToken)
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

        foreach (var summary in firstBases)
        {
            ApplyRestSnapshot(summary);
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

    /// <summary>Queues a verified REST snapshot for the writer loop, and records it (its metadata is part of every later hash).</summary>
    public void ApplyRestSnapshot(BookEvent snapshot)
    {
        // Recorded when queued: a first base is then ahead of the subscribe, so of the book's first WebSocket snapshot.
        _settings.Recorder?.AppendRestBook(snapshot, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        Post(new ShardWork.RestSnapshot(snapshot));
    }

    /// <summary>Resubscribes one asset so the venue sends a fresh snapshot.</summary>
    public void Resubscribe(string assetId) => Post(new ShardWork.Resubscribe(assetId));

    /// <inheritdoc />
    public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId)
    {
        // The exact bytes, before any parsing, so a recording can be re-verified by any later version.
        _settings.Recorder?.Append(frame, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000, (ushort)Id);

        if (TryProcessInline(frame, receivedAtTimestamp))
        {
            return;
        }

        // Bounded in bytes as well as frames: 100,000 frames of 32 MiB each would be far too much to hold.
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _settings.QueueBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            Dropped(frame);
            return;
        }

        var buffer = _buffers.Rent(frame.Length);
        frame.CopyTo(buffer);
        if (!_frames.Writer.TryWrite(new ShardFrame(buffer, frame.Length, receivedAtTimestamp)))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            _buffers.Return(buffer);
            Dropped(frame);
        }
    }

    /// <summary>
    /// Processes a small frame on the reader's thread when the shard is idle: the loop parked, no frame or control
    /// work queued, and nobody holding the engine. Returns <see langword="false"/> (the frame is to be queued) otherwise.
    /// </summary>
    private bool TryProcessInline(ReadOnlySpan<byte> frame, long receivedAt)
    {
        if (frame.Length > MaxInlineFrameBytes || _frames.Reader.Count > 0 || !_control.IsEmpty
            || Interlocked.CompareExchange(ref _engineOwner, Busy, Idle) != Idle)
        {
            return false;
        }

        bool timeoutPending;
        try
        {
            _engine.Process(frame, receivedAt);
            _metrics.RecordFrame(_time, receivedAt);
            _inlineFrames++;
            timeoutPending = _engine.TimeUntilNextTimeout is not null;
        }
        finally
        {
            Volatile.Write(ref _engineOwner, Idle);
        }

        // A frame that opened a timeout window (a held mismatch) needs the loop to arm its timer.
        if (timeoutPending)
        {
            Wake();
        }

        return true;
    }

    /// <summary>
    /// The reader never waits: a full queue drops the frame, and the loop re-bases every book it may have touched
    /// (those it names, or all when it names none readably). One re-base covers every frame dropped until the loop
    /// gets to it; a request per dropped frame would queue a resync per frame and turn an overload into a resync storm.
    /// </summary>
    private void Dropped(ReadOnlySpan<byte> frame)
    {
        Interlocked.Increment(ref _droppedFrames);
        if (_dropped.Add(frame))
        {
            Post(ShardWork.Overflowed.Instance);
        }
    }

    /// <inheritdoc />
    public void OnStateChanged(WsStateChange change)
    {
        // A recording says where this connection lost data, so a replay distrusts its books until their next snapshot.
        if (_settings.Recorder is { } recorder && Interlocked.Exchange(ref _lastState, (int)change.State) == (int)WsState.Subscribed
            && change.State is WsState.Stalled or WsState.Reconnecting)
        {
            string[] assets;
            lock (_assets)
            {
                assets = [.. _assets];
            }

            recorder.RecordGap(RecordingNote.Disconnected, (ushort)Id, assets);
        }

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

        _settings.Ticker.Unregister(this);
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
        try
        {
            while (true)
            {
                ArmWakeTimer();
                Volatile.Write(ref _engineOwner, Idle);
                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                TakeEngine();

                // Control first: a Track must be in place before the frames its subscribe brings. Disposal
                // drops the backlog: a shard behind by thousands of frames would otherwise hold a stop for seconds.
                while (!cancellationToken.IsCancellationRequested)
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

                // A stopping shard neither times books out nor looks for quiet ones: either could ask for a resync.
                cancellationToken.ThrowIfCancellationRequested();
                _engine.CheckTimeouts();
                _staleBooks.Check();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal.
        }
    }

    /// <inheritdoc />
    /// <remarks>Wakes the loop only when a look for quiet books is due; an idle shard otherwise stays asleep.</remarks>
    public void OnTick(long now)
    {
        if (_staleBooks.IsDue(now))
        {
            Wake();
        }
    }

    /// <summary>Arms the wake-up timer for the engine's next timeout, or disarms it when none is pending (the usual case: no timer runs then).</summary>
    private void ArmWakeTimer()
    {
        if (_engine.TimeUntilNextTimeout is { } wait)
        {
            _wakeTimer!.Change(wait, Timeout.InfiniteTimeSpan);
            _wakeArmed = true;
        }
        else if (_wakeArmed)
        {
            _wakeTimer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _wakeArmed = false;
        }
    }

    /// <summary>Takes the engine for the loop, waiting out a frame the reader is processing inline (microseconds: inline frames are small).</summary>
    private void TakeEngine()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _engineOwner, Busy, Idle) != Idle)
        {
            spin.SpinOnce();
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
            Interlocked.Add(ref _queuedBytes, -frame.Length);
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
                    _staleBooks.Tracked(asset);
                }

                break;
            case ShardWork.Restore restore:
                _engine.Restore(restore.Checkpoint.Summary, restore.Checkpoint.Epoch, restore.Checkpoint.Seq, _time.GetTimestamp());
                break;
            case ShardWork.Untrack untrack:
                foreach (var asset in untrack.Assets)
                {
                    _engine.Untrack(asset);
                    _staleBooks.Untracked(asset);
                }

                break;
            case ShardWork.RestSnapshot rest:
                await RedriveAsync(rest.Snapshot.AssetId, _staleBooks.OnRestSnapshot(rest.Snapshot)).ConfigureAwait(false);
                break;
            case ShardWork.Resubscribe resubscribe:
                await ResubscribeAsync(resubscribe.AssetId).ConfigureAwait(false);
                break;
            case ShardWork.Reconnected:
                ResyncAll("reconnected");
                break;
            case ShardWork.Overflowed:
                // A frame dropped after the take below finds nothing gathered, so it asks for another re-base.
                ResyncDropped();
                break;
        }
    }

    /// <summary>Drives a book found stale back to fresh data: on this connection, or by asking the owner to move it.</summary>
    private async ValueTask RedriveAsync(string assetId, StaleAction action)
    {
        switch (action)
        {
            case StaleAction.Resubscribe:
                await ResubscribeAsync(assetId).ConfigureAwait(false);
                break;
            case StaleAction.Relocate:
                _owner.RequestRelocation(assetId);
                break;
            case StaleAction.RecycleConnection:
                ShardingLog.Recycling(_logger, Id, assetId);
                _client.Recycle();
                break;
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

    /// <summary>Re-bases the books the dropped frames named (all of them when a frame named none readably).</summary>
    private void ResyncDropped()
    {
        var assets = new List<string>();
        if (_dropped.TakeInto(assets))
        {
            ResyncAll("frame queue overflowed");
            return;
        }

        var now = _time.GetTimestamp();
        ShardingLog.DroppedResync(_logger, Id, assets.Count(asset => _engine.RequestResync(asset, now)));
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
