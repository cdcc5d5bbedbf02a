using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PolyStream.Bus;
using PolyStream.Diagnostics;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;
using PolyStream.Rest;
using PolyStream.Resync;

namespace PolyStream.Sharding;

/// <summary>
/// The market connections of a streamer and what spans them: which shard carries which asset, opening
/// connections no faster than the connect budget, moving a book that keeps going stale, the consecutive
/// stale findings of each book, and routing REST resyncs to the shard that owns each book.
/// </summary>
/// <remarks>
/// Placement (subscribe, unsubscribe, relocation) is serialised by one lock held only here; shards never
/// wait on it: a relocation a shard asks for is queued and done by this set's own loop.
/// </remarks>
internal sealed class ShardSet : IShardOwner, IResyncTarget, IAsyncDisposable
{
    private readonly ShardSettings _settings;
    private readonly int _maxAssetsPerConnection;
    private readonly TimeSpan _connectInterval;
    private readonly IEventSink _sink;
    private readonly StreamerMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly ResyncScheduler _resync;
    private readonly SemaphoreSlim _placement = new(1, 1);
    private readonly List<MarketShard> _shards = [];
    private readonly Dictionary<string, MarketShard> _byAsset = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _staleStrikes = new(StringComparer.Ordinal);

    // When each shard was last split, or opened by a split: either half is split again only after another threshold
    // without data, not on the rest of the witness round that split the first (findings for books already moved
    // count on their new shard).
    private readonly ConcurrentDictionary<MarketShard, long> _splitAt = new();
    private readonly Channel<ShardMove> _moves = Channel.CreateUnbounded<ShardMove>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();

    // One gate for every connection: the venue sends each market lifecycle event to several of them.
    private readonly VenueEventTranslator _translator = new(new MarketEventGate(), userChannel: false);

    // Every token's hash metadata, kept across relocations and re-subscriptions; the engines refresh its tick.
    private readonly BookMetadataCache _metadata = new();
    private Task? _relocationLoop;
    private long _lastConnect;
    private int _nextShardId;
    private int _disposed;

    /// <summary>Creates an empty set; nothing runs until <see cref="Start"/>, and shards open as assets are added.</summary>
    /// <param name="settings">Every shard's settings.</param>
    /// <param name="maxAssetsPerConnection">The most assets on one connection.</param>
    /// <param name="connectInterval">The least time between opening two connections.</param>
    /// <param name="resync">The REST budget and batching of resyncs.</param>
    /// <param name="rest">The REST client resyncs and witnesses are fetched with.</param>
    /// <param name="sink">Where every shard's events go (the streamer's bus).</param>
    /// <param name="metrics">Where frame latency is recorded.</param>
    /// <param name="loggers">Where the set and its shards log.</param>
    public ShardSet(ShardSettings settings, int maxAssetsPerConnection, TimeSpan connectInterval, ResyncOptions resync, ClobClient rest, IEventSink sink, StreamerMetrics metrics, ILoggerFactory loggers)
    {
        _settings = settings;
        _maxAssetsPerConnection = maxAssetsPerConnection;
        _connectInterval = connectInterval;
        _sink = sink;
        _metrics = metrics;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ShardSet>();

        // The ghost guard trusts the WebSocket's top only while it is fresher than the staleness threshold.
        _resync = new ResyncScheduler(rest, this, settings.StaleAfter, resync, settings.Time, loggers.CreateLogger<ResyncScheduler>());
    }

    /// <summary>Starts the resync scheduler and the relocation loop; call once, before adding assets.</summary>
    public void Start()
    {
        _resync.Start();
        _relocationLoop ??= RelocateLoopAsync(_stopping.Token);
    }

    /// <summary>The health of every shard.</summary>
    public IReadOnlyList<ShardHealth> Health
    {
        get
        {
            lock (_shards)
            {
                return [.. _shards.Select(s => s.Health)];
            }
        }
    }

    /// <summary>Assets carried now.</summary>
    public int AssetCount
    {
        get
        {
            lock (_byAsset)
            {
                return _byAsset.Count;
            }
        }
    }

    /// <summary>What the REST resync has done so far.</summary>
    public ResyncCounts ResyncCounts => _resync.Counts;

    /// <summary>REST resync calls left in the budget now.</summary>
    public double RestBudgetLeft => _resync.BudgetLeft;

    /// <inheritdoc />
    public BookView? GetOrderBook(string assetId) => ShardOf(assetId)?.Engine.GetOrderBook(assetId);

    /// <summary>The latest view of every book of every shard.</summary>
    public IReadOnlyList<BookView> GetAllOrderBooks()
    {
        lock (_shards)
        {
            return [.. _shards.SelectMany(s => s.Engine.GetAllOrderBooks())];
        }
    }

    /// <summary>
    /// Places assets not yet carried: shards with room fill up to the per-connection limit, then new ones
    /// open, paced by the connect interval. Each asset found in <paramref name="restore"/> starts from its saved book.
    /// Returns the assets placed whose hash metadata REST did not give (an unknown or closed market, or REST failing):
    /// they wait <see cref="BookTrustState.Unsynced"/> while it is asked for again in the background.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> AddAsync(IEnumerable<string> assetIds, IReadOnlyDictionary<string, BookCheckpoint> restore, CancellationToken cancellationToken)
    {
        var withoutMetadata = new List<string>();
        await _placement.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var fresh = new Queue<string>(assetIds.Distinct(StringComparer.Ordinal).Where(a => ShardOf(a) is null));
            while (fresh.Count > 0)
            {
                var shard = ShardWithRoom() ?? await OpenShardAsync(cancellationToken).ConfigureAwait(false);
                var room = _maxAssetsPerConnection - shard.AssetCount;
                var chunk = new List<string>(Math.Min(room, fresh.Count));
                while (chunk.Count < room && fresh.TryDequeue(out var asset))
                {
                    chunk.Add(asset);
                }

                var firstBases = await FetchMetadataAsync(chunk, cancellationToken).ConfigureAwait(false);
                Assign(chunk, shard);
                await shard.AddAsync(chunk, [.. chunk.Select(restore.GetValueOrDefault).OfType<BookCheckpoint>()], firstBases, cancellationToken).ConfigureAwait(false);
                foreach (var asset in chunk.Where(a => _metadata.Get(a) is null))
                {
                    // Tracked Unsynced, never hashed with guessed values, until a REST summary brings the metadata.
                    _resync.RequestMetadata(asset);
                    withoutMetadata.Add(asset);
                }
            }
        }
        finally
        {
            _placement.Release();
        }

        return withoutMetadata;
    }

    /// <summary>
    /// Fetches the hash metadata of the tokens not yet in the cache, before they are subscribed, so each one's
    /// first WebSocket snapshot is hashed with its own <c>min_order_size</c> and <c>neg_risk</c>; returns the
    /// verified REST summaries, each the first base of its book.
    /// </summary>
    private async Task<IReadOnlyList<BookEvent>> FetchMetadataAsync(IReadOnlyList<string> assetIds, CancellationToken cancellationToken)
    {
        var unknown = assetIds.Where(a => _metadata.Get(a) is null).ToList();
        if (unknown.Count == 0)
        {
            return [];
        }

        var books = await _resync.FetchMetadataAsync(unknown, cancellationToken).ConfigureAwait(false);
        foreach (var book in books)
        {
            if (BookMetadata.Of(book, _settings.Engine.DefaultTickSize) is { } metadata)
            {
                _metadata.Set(book.AssetId, metadata);
            }
        }

        return books;
    }

    /// <summary>
    /// Stops carrying assets; their books are dropped, and so are their stale findings. A connection left with no
    /// assets closes, unless it is the last one open: listings arrive on any market connection.
    /// </summary>
    public async ValueTask RemoveAsync(IEnumerable<string> assetIds, CancellationToken cancellationToken)
    {
        List<MarketShard> drained;
        await _placement.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<IGrouping<MarketShard, string>> groups;
            lock (_byAsset)
            {
                groups = [.. assetIds.Where(_byAsset.ContainsKey).GroupBy(a => _byAsset[a])];
                foreach (var asset in groups.SelectMany(g => g))
                {
                    _byAsset.Remove(asset);
                    _staleStrikes.TryRemove(asset, out _);
                }
            }

            foreach (var group in groups)
            {
                await group.Key.RemoveAsync([.. group], cancellationToken).ConfigureAwait(false);
            }

            drained = TakeDrained();
        }
        finally
        {
            _placement.Release();
        }

        // Closed outside the placement lock: a close handshake takes up to a second, and a listing must not wait on it.
        foreach (var shard in drained)
        {
            ShardingLog.Drained(_logger, shard.Id);
            await shard.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Opens one connection when none is open, so the venue's listings arrive before any asset is placed.</summary>
    public async ValueTask OpenListenerAsync(CancellationToken cancellationToken)
    {
        await _placement.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Health.Count == 0)
            {
                await OpenShardAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _placement.Release();
        }
    }

    /// <summary>The index of the shard that carries an asset, or -1.</summary>
    public int ShardIndexOf(string assetId) => ShardOf(assetId)?.Id ?? -1;

    /// <inheritdoc />
    public void RequestResync(string assetId) => _resync.Request(assetId, urgent: true);

    /// <inheritdoc />
    public void RequestWitness(string assetId) => _resync.Request(assetId);

    /// <inheritdoc />
    public void RequestRelocation(string assetId) => _moves.Writer.TryWrite(new ShardMove.Relocate(assetId));

    /// <inheritdoc />
    /// <remarks>A shard with two books found stale and no data for a threshold went silent as a whole (the venue's answer to a connection it finds too full): it is split.</remarks>
    public int AddStaleStrike(string assetId)
    {
        var strikes = _staleStrikes.AddOrUpdate(assetId, 1, static (_, count) => count + 1);
        if (ShardOf(assetId) is { } shard && SilentAssetsOf(shard) is not null)
        {
            _moves.Writer.TryWrite(new ShardMove.Split(shard));
        }

        return strikes;
    }

    /// <inheritdoc />
    public void ClearStaleStrikes(string assetId) => _staleStrikes.TryRemove(assetId, out _);

    /// <inheritdoc />
    public bool IsStreamed(string assetId) => ShardOf(assetId) is not null;

    /// <inheritdoc />
    void IResyncTarget.ApplyRestSnapshot(BookEvent snapshot) => ShardOf(snapshot.AssetId)?.ApplyRestSnapshot(snapshot);

    /// <inheritdoc />
    void IResyncTarget.Resubscribe(string assetId) => ShardOf(assetId)?.Resubscribe(assetId);

    /// <summary>Stops the relocation loop, every shard, then the resync scheduler; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _moves.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_relocationLoop is not null)
        {
            await _relocationLoop.ConfigureAwait(false);
        }

        MarketShard[] shards;
        lock (_shards)
        {
            shards = [.. _shards];
        }

        foreach (var shard in shards)
        {
            await shard.DisposeAsync().ConfigureAwait(false);
        }

        await _resync.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _placement.Dispose();
    }

    private MarketShard? ShardOf(string assetId)
    {
        lock (_byAsset)
        {
            return _byAsset.GetValueOrDefault(assetId);
        }
    }

    private void Assign(IEnumerable<string> assetIds, MarketShard shard)
    {
        lock (_byAsset)
        {
            foreach (var asset in assetIds)
            {
                _byAsset[asset] = shard;
            }
        }
    }

    /// <summary>Takes the shards left with no assets out of the set, all but one when every shard is empty; called under the placement lock.</summary>
    private List<MarketShard> TakeDrained()
    {
        lock (_shards)
        {
            var drained = _shards.Where(s => s.AssetCount == 0).ToList();
            if (drained.Count == _shards.Count && drained.Count > 0)
            {
                drained.RemoveAt(0);
            }

            foreach (var shard in drained)
            {
                _shards.Remove(shard);
                _splitAt.TryRemove(shard, out _);
            }

            return drained;
        }
    }

    /// <summary>A shard below the per-connection limit, other than <paramref name="except"/>; <see langword="null"/> when all are full.</summary>
    private MarketShard? ShardWithRoom(MarketShard? except = null)
    {
        lock (_shards)
        {
            return _shards.FirstOrDefault(s => s != except && s.AssetCount < _maxAssetsPerConnection);
        }
    }

    private async Task<MarketShard> OpenShardAsync(CancellationToken cancellationToken)
    {
        // The connect budget: connections open no faster than one per interval.
        var time = _settings.Time;
        var wait = _connectInterval - time.GetElapsedTime(_lastConnect);
        if (_lastConnect != 0 && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        _lastConnect = time.GetTimestamp();
        MarketShard shard;
        lock (_shards)
        {
            // Ids are never reused: a drained shard's id stays its own in logs and recordings.
            shard = new MarketShard(_nextShardId++, _settings, _sink, this, _translator, _metadata, _metrics, _loggers);
            _shards.Add(shard);
        }

        await shard.StartAsync(cancellationToken).ConfigureAwait(false);
        return shard;
    }

    /// <summary>Moves each book a shard asked to move to another connection (a new one if none has room), and splits silent shards, one at a time.</summary>
    private async Task RelocateLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var move in _moves.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (move)
                {
                    case ShardMove.Relocate relocate:
                        await RelocateAsync(relocate.AssetId, cancellationToken).ConfigureAwait(false);
                        break;
                    case ShardMove.Split split:
                        await SplitAsync(split.Shard, cancellationToken).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposal.
        }
    }

    /// <summary>
    /// The assets of a shard that went silent as a whole: its connection delivered no data for a threshold (and
    /// none passed since its last split) while two or more of its books were proven stale (a silent connection, not
    /// one stalled book); otherwise <see langword="null"/>.
    /// </summary>
    /// <remarks>
    /// Not "every book stale": a witness proves stale only a book the venue moved, and most books are quiet. A
    /// silent connection's quiet books would hold its split back while its busy books, found stale twice, were
    /// moved off one by one.
    /// </remarks>
    private List<string>? SilentAssetsOf(MarketShard shard)
    {
        var silentSince = shard.DataSilence ?? TimeSpan.MaxValue;
        var sinceSplit = _splitAt.TryGetValue(shard, out var splitAt) ? _settings.Time.GetElapsedTime(splitAt) : TimeSpan.MaxValue;
        if (silentSince < _settings.StaleAfter || sinceSplit < _settings.StaleAfter)
        {
            return null;
        }

        lock (_byAsset)
        {
            var assets = _byAsset.Where(a => a.Value == shard).Select(a => a.Key).ToList();
            return assets.Count(_staleStrikes.ContainsKey) >= 2 ? assets : null;
        }
    }

    /// <summary>
    /// Moves half the books of a shard that went silent to a new connection. Their stale findings start again:
    /// the split is this shard's escalation, and each half, if still silent, is split again in turn.
    /// </summary>
    private async Task SplitAsync(MarketShard shard, CancellationToken cancellationToken)
    {
        await _placement.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Several strikes may have asked; the first split answers them all.
            if (SilentAssetsOf(shard) is not { } assets)
            {
                return;
            }

            var moving = assets.Skip(assets.Count / 2).ToList();
            foreach (var asset in assets)
            {
                _staleStrikes.TryRemove(asset, out _);
            }

            var to = await OpenShardAsync(cancellationToken).ConfigureAwait(false);
            _splitAt[shard] = _splitAt[to] = _settings.Time.GetTimestamp();
            ShardingLog.Split(_logger, shard.Id, moving.Count, to.Id);
            Assign(moving, to);
            await shard.RemoveAsync(moving, cancellationToken).ConfigureAwait(false);
            await to.AddAsync(moving, [], [], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _placement.Release();
        }
    }

    private async Task RelocateAsync(string assetId, CancellationToken cancellationToken)
    {
        await _placement.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A relocation is asked on a book's second stale finding; findings cleared since then mean the book
            // recovered or a split of its silent connection moved and reset it: moving it again would undo the split.
            if (ShardOf(assetId) is not { } from || !_staleStrikes.ContainsKey(assetId))
            {
                return;
            }

            var to = ShardWithRoom(except: from) ?? await OpenShardAsync(cancellationToken).ConfigureAwait(false);
            ShardingLog.Relocated(_logger, assetId, from.Id, to.Id);
            Assign([assetId], to);
            await from.RemoveAsync([assetId], cancellationToken).ConfigureAwait(false);
            await to.AddAsync([assetId], [], [], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _placement.Release();
        }
    }
}
