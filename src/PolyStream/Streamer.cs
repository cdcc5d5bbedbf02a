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
using PolyStream.Universe;

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
    private ClobClient? _rest;
    private ShardSet? _shards;
    private UserFeed? _user;
    private GammaClient? _gamma;
    private UniverseFollower? _universe;
    private int _disposed;

    /// <summary>Creates a streamer; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="config">What to stream and how.</param>
    /// <param name="loggerFactory">Where every component logs; none by default.</param>
    public Streamer(StreamerConfig config, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireVenueLimit(config);
        _config = config;

        // The shards record the REST summaries they base books on: a replay then hashes with each token's metadata.
        config.Recorder?.DeclareRestBooks();
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<Streamer>();
        _bus = new EventBus(new EventBusOptions { DefaultSubscriber = new SubscriberOptions { Capacity = config.EventBufferSize, Overflow = config.Overflow } }, _loggers.CreateLogger<EventBus>());
        _metrics = new StreamerMetrics(() => Totals, () => ResyncCounts.Accepted, () => RestBudgetLeft, this, _bus);
    }

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every streamer reports to (frames, hashes, resyncs, books by state, latency).</summary>
    public const string MeterName = StreamerMetrics.MeterName;

    /// <summary>The health of every market connection shard.</summary>
    public IReadOnlyList<ShardHealth> Shards => _shards?.Health ?? [];

    /// <summary>Every connection's counts added up.</summary>
    public StreamerTotals Totals => StreamerTotals.Of(Shards);

    /// <summary>The user channel's health, or <see langword="null"/> when no user feed runs.</summary>
    public WsHealth? UserFeedHealth => _user?.Health;

    /// <summary>What the REST resync has done so far.</summary>
    public ResyncCounts ResyncCounts => _shards?.ResyncCounts ?? new ResyncCounts();

    /// <summary>The configuration this streamer runs with.</summary>
    public StreamerConfig Config => _config;

    /// <summary>REST resync calls left in the budget now.</summary>
    public double RestBudgetLeft => _shards?.RestBudgetLeft ?? _config.Resync.RequestsPerWindow;

    /// <summary>
    /// In universe mode, every open market discovered or listed that passes <see cref="StreamerConfig.Universe"/> (before the
    /// selector), each with its tokens and outcomes; otherwise none. The same instance until the universe changes, so a
    /// reference comparison tells whether it did.
    /// </summary>
    public IReadOnlyList<GammaMarket> UniverseMarkets => _universe?.Markets ?? [];

    /// <summary>In universe mode, the markets carried here whose every token is synced, of the markets carried here; <c>(0, 0)</c> otherwise.</summary>
    public (int Synced, int Markets) UniverseProgress => _universe?.Progress ?? (0, 0);

    /// <summary>
    /// Connects to <paramref name="host"/> (a CLOB REST base such as the venue's or <c>http://127.0.0.1:8081/</c>),
    /// subscribes <see cref="StreamerConfig.MarketAssets"/>, and starts the user feed if configured.
    /// The WebSocket URLs are the venue's for its REST host, else <c>ws(s)://host/ws/market|user</c>,
    /// unless <see cref="StreamerConfig.Ws"/> names one. In universe mode it also discovers the universe on Gamma
    /// (the venue's for its REST host, else <c>host/gamma/</c>) and returns once it is announced
    /// (<see cref="UniverseChanged"/>); its tokens are subscribed in the background (<see cref="UniverseProgress"/>).
    /// </summary>
    /// <param name="host">The CLOB REST base URL.</param>
    /// <param name="dataPaths">Where stored credentials are read for the user feed; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="CredentialFileException">A user feed was asked for, with no credentials given or stored.</exception>
    /// <exception cref="ClobApiException">Universe mode could not read Gamma after its retries.</exception>
    /// <exception cref="ArgumentException">
    /// The host is plain text and not on this machine, and <see cref="StreamerConfig.AllowInsecureTransport"/> is off; or the
    /// user feed's credentials have an empty field, or one of <see cref="StreamerConfig.UserMarkets"/> is not a condition id.
    /// Nothing is started then.
    /// </exception>
    public async Task StartAsync(Uri host, DataPaths? dataPaths = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // The user feed's needs are checked before anything connects, so a mistake there leaves nothing running.
        var userCredentials = UserCredentials(dataPaths);
        var marketWs = _config.Ws with { Url = ChannelUrl(host, _config.Ws.Url, WsConfig.ProductionMarketUrl, "ws/market"), Channel = WsChannel.Market, TimeProvider = _config.TimeProvider };
        TransportSecurity.Require(marketWs.Url, _config.AllowInsecureTransport);
        var rest = new ClobClientOptions { Host = host, TimeProvider = _config.TimeProvider, AllowInsecureTransport = _config.AllowInsecureTransport };
        _rest = new ClobClient(rest);
        var perConnection = _config.MaxAssetsPerConnection;
        if (_config.Universe is not null)
        {
            perConnection = _config.UniverseAssetsPerConnection;
            _gamma = new GammaClient(new GammaClientOptions { Host = _config.GammaHost ?? GammaHost(host), Transport = rest });
            var settings = new UniverseSettings(_config.Universe, _config.UniverseSelector, _config.UniverseRediscoveryInterval, _config.ResolvedBookRetention, perConnection, _config.TimeProvider);
            _universe = new UniverseFollower(settings, _bus, _gamma, _rest, _loggers.CreateLogger<UniverseFollower>());
        }

        _shards = new ShardSet(ShardSettings(marketWs), perConnection, _config.ConnectInterval, _config.Resync, _rest, _universe?.Sink ?? _bus, _metrics, _loggers);
        _shards.Start();
        await SubscribeAsync(_config.MarketAssets, cancellationToken).ConfigureAwait(false);
        if (_universe is not null)
        {
            await _universe.StartAsync(_shards, _config.MarketAssets, Restorable(_config.Checkpoint), cancellationToken).ConfigureAwait(false);
        }

        if (userCredentials is not null)
        {
            var userWs = marketWs with { Url = ChannelUrl(host, null, WsConfig.ProductionUserUrl, "ws/user"), Channel = WsChannel.User, Credentials = userCredentials };
            _user = new UserFeed(userWs, _bus, _loggers);
            await _user.StartAsync(_config.UserMarkets, cancellationToken).ConfigureAwait(false);
        }

        ShardingLog.Started(_logger, _shards.AssetCount, _shards.Health.Count);
    }

    /// <summary>A new subscriber to the ordered event stream, with the configured queue size and overflow policy.</summary>
    public EventSubscriber Events() => _bus.Subscribe();

    /// <summary>A new subscriber with its own queue size and overflow policy.</summary>
    public EventSubscriber Subscribe(SubscriberOptions options) => _bus.Subscribe(options);

    /// <summary>
    /// The latest immutable view of a token's book, with its trust state and <c>(Epoch, Seq)</c>; a resolved market's
    /// last book for <see cref="StreamerConfig.ResolvedBookRetention"/> after universe mode left it; <see langword="null"/> when not streamed.
    /// </summary>
    public BookView? GetOrderBook(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        return _shards?.GetOrderBook(assetId) ?? _universe?.RetainedBook(assetId);
    }

    /// <summary>The latest view of every streamed book.</summary>
    public IReadOnlyList<BookView> GetAllOrderBooks() => _shards?.GetAllOrderBooks() ?? [];

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
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _ = await Started.AddAsync(assetIds, Restorable(restoreFrom), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Re-applies <see cref="StreamerConfig.UniverseSelector"/> to the known universe (no discovery): unsubscribes the
    /// markets it no longer picks and subscribes those it now picks, in the background like a discovery's
    /// (<see cref="UniverseProgress"/>); announced as <see cref="UniverseChangeReason.Reselected"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The streamer is not started in universe mode.</exception>
    public ValueTask ReselectUniverseAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return (_universe ?? throw new InvalidOperationException("Reselecting needs a streamer started in universe mode (StreamerConfig.Universe).")).ReselectAsync(cancellationToken);
    }

    /// <summary>Stops streaming tokens; their books are dropped.</summary>
    public ValueTask UnsubscribeAsync(IEnumerable<string> assetIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        return Started.RemoveAsync(assetIds, cancellationToken);
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

        if (_universe is not null)
        {
            await _universe.DisposeAsync().ConfigureAwait(false);
        }

        if (_shards is not null)
        {
            await _shards.DisposeAsync().ConfigureAwait(false);
        }

        _rest?.Dispose();
        _gamma?.Dispose();
        _metrics.Dispose();
        await _bus.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The index of the shard that carries a token, or -1; for tests.</summary>
    internal int ShardIndexOf(string assetId) => _shards?.ShardIndexOf(assetId) ?? -1;

    /// <summary>What every market shard runs with, taken from the configuration once.</summary>
    private ShardSettings ShardSettings(WsConfig marketWs) => new(
        marketWs,
        BookEngineOptions.Default with
        {
            HashPolicy = _config.HashPolicy,
            AutoSyncOnHashMismatch = _config.AutoSyncOnHashMismatch,
            CleanCrossedBooks = _config.CleanCrossedBooks,
            HashTrades = _config.HashTrades,

            // A live stream never guesses a token's hash metadata: it is fetched (ShardSet) or the book waits.
            AssumedMetadata = null,
        },
        _config.ShardQueueCapacity,
        _config.StaleAfter,
        _config.StaleCheckInterval,
        _config.Recorder,
        _config.TimeProvider)
    {
        QueueBytes = _config.ShardQueueBytes,
    };

    /// <summary>The user feed's credentials, checked with its markets; <see langword="null"/> when no user feed is configured.</summary>
    private ApiCredentials? UserCredentials(DataPaths? dataPaths)
    {
        if (_config.UserAuth is null && _config.UserMarkets.Count == 0)
        {
            return null;
        }

        var credentials = _config.UserAuth ?? new CredentialStore(dataPaths ?? DataPaths.Resolve()).Load().Api;
        UserFeed.EnsureReady(credentials, _config.UserMarkets);
        return credentials;
    }

    /// <summary>Saved books by token; the last one given for a token wins.</summary>
    private static Dictionary<string, BookCheckpoint> Restorable(IEnumerable<BookCheckpoint> saved)
    {
        var restore = new Dictionary<string, BookCheckpoint>(StringComparer.Ordinal);
        foreach (var book in saved)
        {
            restore[book.Summary.AssetId] = book;
        }

        return restore;
    }

    /// <summary>Rejects a per-connection count outside 1 to the venue's ceiling, above which its snapshots stop arriving.</summary>
    private static void RequireVenueLimit(StreamerConfig config)
    {
        foreach (var (name, count) in (ReadOnlySpan<(string, int)>)[
            (nameof(StreamerConfig.MaxAssetsPerConnection), config.MaxAssetsPerConnection),
            (nameof(StreamerConfig.UniverseAssetsPerConnection), config.UniverseAssetsPerConnection)])
        {
            if (count is < 1 or > StreamerConfig.VenueMaxAssetsPerConnection)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(config),
                    count,
                    $"StreamerConfig.{name} must be between 1 and {StreamerConfig.VenueMaxAssetsPerConnection} (the venue stops sending snapshots to a connection with more assets), not {count}.");
            }
        }
    }

    /// <summary>Gamma for a CLOB host: the venue's for the venue's, else <c>host/gamma/</c> as the simulator serves it.</summary>
    internal static Uri GammaHost(Uri restHost) =>
        restHost == ClobClientOptions.ProductionHost ? GammaClientOptions.ProductionHost : RestTransport.Resolve(restHost, "gamma/", null);

    private ShardSet Started => _shards ?? throw new InvalidOperationException("Start the streamer before subscribing.");

    internal static Uri ChannelUrl(Uri restHost, Uri? configured, Uri production, string path)
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
}
