using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Auth;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Diagnostics;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;
using PolyStream.Rest;
using PolyStream.Resync;
using PolyStream.Sharding;

namespace PolyStream;

/// <summary>
/// The streaming service: keeps many live order books exact over sharded WebSocket connections,
/// verifies them against the venue's hash, resyncs them through batched REST when they drift, and
/// fans one ordered event stream out to any number of subscribers.
/// </summary>
/// <remarks>
/// Each shard's socket reader only copies frames into a queue; one loop per shard owns its books.
/// Consumers read through <see cref="Events"/> or <see cref="Subscribe"/>, each with its own bounded
/// queue and overflow policy, so a slow consumer never slows the feed or another consumer.
/// </remarks>
public sealed class Streamer : IOrderBookSource, IAsyncDisposable
{
    private readonly StreamerConfig _config;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly EventBus _bus;
    private readonly StreamerMetrics _metrics;
    private readonly SemaphoreSlim _subscriptions = new(1, 1);
    private readonly List<MarketShard> _shards = [];
    private readonly Dictionary<string, MarketShard> _byAsset = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _staleStrikes = new(StringComparer.Ordinal);

    // One gate for every connection: the venue sends each market lifecycle event to several of them.
    private readonly MarketEventGate _marketEvents = new();
    private ClobClient? _rest;
    private ResyncScheduler? _resync;
    private UserFeed? _user;
    private WsConfig? _marketWs;
    private long _lastConnect;
    private int _disposed;

    /// <summary>Creates a streamer; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="config">What to stream and how.</param>
    /// <param name="loggerFactory">Where every component logs; none by default.</param>
    public Streamer(StreamerConfig config, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(config.MaxAssetsPerConnection, nameof(config));
        _config = config;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<Streamer>();
        _bus = new EventBus(new EventBusOptions { DefaultSubscriber = new SubscriberOptions { Capacity = config.EventBufferSize, Overflow = config.Overflow } }, _loggers.CreateLogger<EventBus>());
        _metrics = new StreamerMetrics(this, _bus);
    }

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every streamer reports to (frames, hashes, resyncs, books by state, latency).</summary>
    public const string MeterName = StreamerMetrics.MeterName;

    /// <summary>The health of every market connection shard.</summary>
    public IReadOnlyList<ShardHealth> Shards
    {
        get
        {
            lock (_shards)
            {
                return [.. _shards.Select(s => s.Health)];
            }
        }
    }

    /// <summary>Every connection's counts added up.</summary>
    public StreamerTotals Totals => StreamerTotals.Of(Shards);

    /// <summary>The user channel's health, or <see langword="null"/> when no user feed runs.</summary>
    public WsHealth? UserFeedHealth => _user?.Health;

    /// <summary>What the REST resync has done so far.</summary>
    public ResyncCounts ResyncCounts => _resync?.Counts ?? new ResyncCounts();

    /// <summary>The configuration this streamer runs with.</summary>
    public StreamerConfig Config => _config;

    /// <summary>REST resync calls left in the budget now.</summary>
    public double RestBudgetLeft => _resync?.BudgetLeft ?? _config.Resync.RequestsPerWindow;

    /// <summary>
    /// Connects to <paramref name="host"/> (a CLOB REST base such as the venue's or <c>http://127.0.0.1:8081/</c>),
    /// subscribes <see cref="StreamerConfig.MarketAssets"/>, and starts the user feed if configured.
    /// The WebSocket URLs are the venue's for its REST host, else <c>ws(s)://host/ws/market|user</c>,
    /// unless <see cref="StreamerConfig.Ws"/> names one.
    /// </summary>
    /// <param name="host">The CLOB REST base URL.</param>
    /// <param name="dataPaths">Where stored credentials are read for the user feed; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="CredentialFileException">A user feed was asked for, with no credentials given or stored.</exception>
    /// <exception cref="ArgumentException">The host is plain text and not on this machine, and <see cref="StreamerConfig.AllowInsecureTransport"/> is off.</exception>
    public async Task StartAsync(Uri host, DataPaths? dataPaths = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _marketWs = _config.Ws with { Url = ChannelUrl(host, _config.Ws.Url, WsConfig.ProductionMarketUrl, "ws/market"), Channel = WsChannel.Market, TimeProvider = _config.TimeProvider };
        TransportSecurity.Require(_marketWs.Url, _config.AllowInsecureTransport);
        _rest = new ClobClient(new ClobClientOptions { Host = host, TimeProvider = _config.TimeProvider, AllowInsecureTransport = _config.AllowInsecureTransport });
        // The ghost guard trusts the WebSocket's top only while it is fresher than the staleness threshold.
        _resync = new ResyncScheduler(_rest, new Router(this), _config.StaleAfter, _config.Resync, _config.TimeProvider, _loggers.CreateLogger<ResyncScheduler>());
        _resync.Start();
        await SubscribeAsync(_config.MarketAssets, cancellationToken).ConfigureAwait(false);

        if (_config.UserAuth is not null || _config.UserMarkets.Count > 0)
        {
            var credentials = _config.UserAuth ?? new CredentialStore(dataPaths ?? DataPaths.Resolve()).Load().Api;
            var userWs = _marketWs with { Url = ChannelUrl(host, null, WsConfig.ProductionUserUrl, "ws/user"), Channel = WsChannel.User, Credentials = credentials };
            _user = new UserFeed(userWs, _bus, _loggers);
            await _user.StartAsync(_config.UserMarkets, cancellationToken).ConfigureAwait(false);
        }

        ShardingLog.Started(_logger, _byAsset.Count, _shards.Count);
    }

    /// <summary>A new subscriber to the ordered event stream, with the configured queue size and overflow policy.</summary>
    public EventSubscriber Events() => _bus.Subscribe();

    /// <summary>A new subscriber with its own queue size and overflow policy.</summary>
    public EventSubscriber Subscribe(SubscriberOptions options) => _bus.Subscribe(options);

    /// <summary>The latest immutable view of a token's book, with its trust state and <c>(Epoch, Seq)</c>; <see langword="null"/> when not streamed.</summary>
    public BookView? GetOrderBook(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        lock (_byAsset)
        {
            return _byAsset.TryGetValue(assetId, out var shard) ? shard.Engine.GetOrderBook(assetId) : null;
        }
    }

    /// <summary>The latest view of every streamed book.</summary>
    public IReadOnlyList<BookView> GetAllOrderBooks()
    {
        lock (_shards)
        {
            return [.. _shards.SelectMany(s => s.Engine.GetAllOrderBooks())];
        }
    }

    /// <summary>Starts streaming more tokens: existing shards fill up to the per-connection limit, then new connections open, paced by the connect interval.</summary>
    /// <remarks>Tokens found in <see cref="StreamerConfig.Checkpoint"/> start from their saved books.</remarks>
    public ValueTask SubscribeAsync(IEnumerable<string> assetIds, CancellationToken cancellationToken = default) =>
        ResumeAsync(assetIds, _config.Checkpoint, cancellationToken);

    /// <summary>
    /// Starts streaming more tokens like <see cref="SubscribeAsync"/>, each found in <paramref name="restoreFrom"/> starting
    /// <see cref="BookTrustState.Restored"/> from that saved book and <c>(Epoch, Seq)</c> until the feed's
    /// next snapshot confirms it, in a new epoch above the saved one. A node taking over tokens from another
    /// restores them this way, so its consumers see the hand-over as a new epoch.
    /// </summary>
    public async ValueTask ResumeAsync(IEnumerable<string> assetIds, IEnumerable<BookCheckpoint> restoreFrom, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        ArgumentNullException.ThrowIfNull(restoreFrom);
        var restore = new Dictionary<string, BookCheckpoint>(StringComparer.Ordinal);
        foreach (var saved in restoreFrom)
        {
            restore[saved.Summary.AssetId] = saved; // The last one given for a token wins.
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _subscriptions.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var fresh = new Queue<string>(assetIds.Distinct(StringComparer.Ordinal).Where(a => ShardOf(a) is null));
            while (fresh.Count > 0)
            {
                var shard = ShardWithRoom() ?? await OpenShardAsync(cancellationToken).ConfigureAwait(false);
                var room = _config.MaxAssetsPerConnection - shard.AssetCount;
                var chunk = new List<string>(Math.Min(room, fresh.Count));
                while (chunk.Count < room && fresh.TryDequeue(out var asset))
                {
                    chunk.Add(asset);
                }

                lock (_byAsset)
                {
                    foreach (var asset in chunk)
                    {
                        _byAsset[asset] = shard;
                    }
                }

                await shard.AddAsync(chunk, [.. chunk.Select(restore.GetValueOrDefault).OfType<BookCheckpoint>()], cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _subscriptions.Release();
        }
    }

    /// <summary>Stops streaming tokens; their books are dropped.</summary>
    public async ValueTask UnsubscribeAsync(IEnumerable<string> assetIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        await _subscriptions.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        }
        finally
        {
            _subscriptions.Release();
        }
    }

    /// <summary>Stops the user feed, every shard, the resync scheduler and the event bus, in that order; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_user is not null)
        {
            await _user.DisposeAsync().ConfigureAwait(false);
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

        if (_resync is not null)
        {
            await _resync.DisposeAsync().ConfigureAwait(false);
        }

        _rest?.Dispose();
        _metrics.Dispose();
        await _bus.DisposeAsync().ConfigureAwait(false);
        _subscriptions.Dispose();
    }

    private static Uri ChannelUrl(Uri restHost, Uri? configured, Uri production, string path)
    {
        if (configured is not null && configured != production)
        {
            return configured;
        }

        if (restHost == ClobClientOptions.ProductionHost)
        {
            return production;
        }

        var builder = new UriBuilder(restHost) { Scheme = restHost.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Query = string.Empty };
        builder.Path = builder.Path.TrimEnd('/') + "/" + path;
        return builder.Uri;
    }

    /// <summary>A shard below the per-connection limit, other than <paramref name="except"/>; <see langword="null"/> when all are full.</summary>
    private MarketShard? ShardWithRoom(MarketShard? except = null)
    {
        lock (_shards)
        {
            return _shards.FirstOrDefault(s => s != except && s.AssetCount < _config.MaxAssetsPerConnection);
        }
    }

    private MarketShard? ShardOf(string assetId)
    {
        lock (_byAsset)
        {
            return _byAsset.GetValueOrDefault(assetId);
        }
    }

    private async Task<MarketShard> OpenShardAsync(CancellationToken cancellationToken)
    {
        // The connect budget: connections open no faster than one per interval.
        var time = _config.TimeProvider;
        var wait = _config.ConnectInterval - time.GetElapsedTime(_lastConnect);
        if (_lastConnect != 0 && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        _lastConnect = time.GetTimestamp();
        MarketShard shard;
        lock (_shards)
        {
            shard = new MarketShard(
                _shards.Count,
                _config,
                _marketWs ?? throw new InvalidOperationException("Start the streamer before subscribing."),
                _bus,
                asset => _resync?.Request(asset, urgent: true),
                asset => _resync?.Request(asset),
                RelocateAsync,
                _staleStrikes,
                _marketEvents,
                _metrics,
                _loggers);
            _shards.Add(shard);
        }

        await shard.StartAsync(cancellationToken).ConfigureAwait(false);
        return shard;
    }

    /// <summary>The index of the shard that carries a token, or -1; for tests.</summary>
    internal int ShardIndexOf(string assetId) => ShardOf(assetId)?.Id ?? -1;

    /// <summary>Moves a token that keeps going stale to another connection (a new one if none has room).</summary>
    private async Task RelocateAsync(string assetId)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await _subscriptions.WaitAsync().ConfigureAwait(false);
        try
        {
            if (ShardOf(assetId) is not { } from)
            {
                return;
            }

            var to = ShardWithRoom(except: from) ?? await OpenShardAsync(CancellationToken.None).ConfigureAwait(false);
            ShardingLog.Relocated(_logger, assetId, from.Id, to.Id);
            lock (_byAsset)
            {
                _byAsset[assetId] = to;
            }

            await from.RemoveAsync([assetId], CancellationToken.None).ConfigureAwait(false);
            await to.AddAsync([assetId], [], CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _subscriptions.Release();
        }
    }

    /// <summary>Routes the resync scheduler's calls to the shard that carries each token.</summary>
    private sealed class Router(Streamer streamer) : IResyncTarget
    {
        public BookView? GetOrderBook(string assetId) => streamer.GetOrderBook(assetId);

        public void ApplyRestSnapshot(BookEvent snapshot) => streamer.ShardOf(snapshot.AssetId)?.ApplyRestSnapshot(snapshot);

        public void Resubscribe(string assetId) => streamer.ShardOf(assetId)?.Resubscribe(assetId);
    }
}
