using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using PolyStream.Bus;
using PolyStream.Protocol;

namespace PolyStream.Nats;

/// <summary>
/// One daemon's part in a scale-out on NATS JetStream. It owns a fair share of the asset universe through
/// leases, streams those assets with its <see cref="Streamer"/>, publishes every event to the stream
/// (batched per slot on <c>polystream.batch.&lt;slot&gt;</c>, whole books and venue events alone on
/// <c>polystream.&lt;event&gt;.&lt;asset&gt;</c>, de-duplicated by ids made of <c>asset:epoch:seq</c>) and keeps
/// each book's latest state in a KV bucket. When a node dies its slots expire and the others take them
/// over, restoring each book from the bus so the hand-over shows as a new epoch, never as a silent jump.
/// </summary>
/// <example>
/// <code>
/// // Trades carry their book's hash, which the node publishes with each: cheaper hashed in the engine than rebuilt here.
/// await using var streamer = new Streamer(new StreamerConfig { HashTrades = true });
/// await streamer.StartAsync(host);
/// await using var node = await NatsNode.StartAsync(streamer, universe, new NatsScaleOutOptions { Url = "nats://127.0.0.1:4222", NodeId = "node-a" });
/// </code>
/// </example>
public sealed class NatsNode : IAsyncDisposable
{
    /// <summary>
    /// Events the sink's queue holds before the oldest are dropped (and their books re-based). Seconds of the venue's
    /// rate, yet short: every queued event keeps its book view alive, and a deep queue behind a lagging sink promoted
    /// them into the older generations. With 50,000 a saturated node ran 10–13 gen-2 collections in 10 s instead of
    /// 1–3 and acknowledged about a quarter fewer events (docs/performance.md).
    /// </summary>
    internal const int SinkQueueCapacity = 8_192;

    private readonly NatsConnection _connection;
    private readonly SlotLeases _leases;
    private readonly ISlotContents _contents;
    private readonly SnapshotWriter _snapshots;
    private readonly JetStreamPublisher _publisher;
    private readonly BusEncoder _encoder;
    private readonly NatsEventSink _sink;
    private readonly EventSubscriber _events;
    private readonly NatsNodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private int _disposed;

    private NatsNode(NatsConnection connection, JetStreamPublisher publisher, Streamer streamer, BusStore store, NatsScaleOutOptions options, string slotsBy, ContentsFactory contents, TimeProvider time, ILoggerFactory loggers)
    {
        _connection = connection;
        _publisher = publisher;
        _logger = loggers.CreateLogger<NatsNode>();
        NodeId = options.NodeId;
        Publisher = $"{options.NodeId}-{Guid.NewGuid().ToString("N")[..6]}";
        _leases = new SlotLeases(store.Leases, options, Publisher, slotsBy, time, loggers.CreateLogger<SlotLeases>())
        {
            // The contents are set below, before any round can call these.
            Acquired = (slot, ct) => _contents!.TakeOverAsync(slot, ct),
            Released = (slot, ct) => _contents!.HandOverAsync(slot, ct),
        };
        _contents = contents(_leases, new BusTakeOver(store, streamer, _logger));
        _snapshots = new SnapshotWriter(store.Snapshots, options, Publisher, _contents, time, loggers.CreateLogger<SnapshotWriter>());
        _encoder = new BusEncoder(options.SubjectPrefix, Publisher, logger: loggers.CreateLogger<BusEncoder>(), bodiesInFlight: options.MaxInFlight);
        _sink = new NatsEventSink(publisher, _encoder, _snapshots.Published, options, _contents, streamer.GetOrderBook, time);
        _events = streamer.Subscribe(new SubscriberOptions { Capacity = SinkQueueCapacity, Overflow = OverflowPolicy.DropOldest, Name = "nats-sink" });
        _metrics = new NatsNodeMetrics(this);
    }

    /// <summary>Makes what the node streams for the slots it holds, from its leases and its way of taking assets over.</summary>
    private delegate ISlotContents ContentsFactory(SlotLeases leases, BusTakeOver takeOver);

    /// <summary>This node's name.</summary>
    public string NodeId { get; }

    /// <summary>This run's publisher id (<c>node-xxxxxx</c>), written in every message's <c>node</c> field.</summary>
    public string Publisher { get; }

    /// <summary>The slots this node holds.</summary>
    public IReadOnlyList<int> OwnedSlots => _leases.HeldSlots;

    /// <summary>The assets this node owns and publishes now.</summary>
    public IReadOnlyCollection<string> OwnedAssets => _contents.HeldAssets;

    /// <summary>The sink's queue of the streamer's events.</summary>
    internal SubscriberCounts SinkQueue => _events.Counts;

    /// <summary>What the node has published so far.</summary>
    public NatsNodeCounts Counts => new(_sink.Published, _sink.Retried, _sink.Rebased, _snapshots.Written, _sink.LastAcknowledged, _encoder.Refused + _contents.Refused, _publisher.Duplicates, _sink.Reordered);

    /// <summary>
    /// Connects to NATS, creates the stream and buckets if missing, and starts taking a fair share of
    /// <paramref name="universe"/>. The streamer should be started with no assets: the node subscribes it to what it owns.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not usable (node id, slots, lease period).</exception>
    /// <exception cref="NatsException">NATS is unreachable or refused the credentials.</exception>
    public static Task<NatsNode> StartAsync(Streamer streamer, IEnumerable<string> universe, NatsScaleOutOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamer);
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(options);
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        return StartAsync(streamer, options, BusNames.SlotsByAsset, (leases, takeOver) => new AssetSlots(leases, streamer, takeOver, universe, options.Slots, loggers.CreateLogger<NatsNode>()), loggers, timeProvider, cancellationToken);
    }

    /// <summary>
    /// Connects to NATS, creates the stream and buckets if missing, and starts taking a fair share of the universe
    /// the streamer discovers (universe mode): the node carries the markets whose slot it holds, splitting the
    /// universe by market (condition id) so a market's tokens stay together, and follows listings and resolutions.
    /// The streamer must be in universe mode with <paramref name="selector"/>'s <see cref="NatsSlotSelector.Carries"/>
    /// as its selector; it carries nothing until the node takes slots.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The options are not usable (node id, slots, lease period); the streamer is not in universe mode or does not
    /// select through <paramref name="selector"/>; or <paramref name="selector"/> serves another node.
    /// </exception>
    /// <exception cref="NatsException">NATS is unreachable or refused the credentials.</exception>
    public static Task<NatsNode> StartUniverseAsync(Streamer streamer, NatsSlotSelector selector, NatsScaleOutOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamer);
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(options);
        if (streamer.Config.Universe is null || !Equals(streamer.Config.UniverseSelector, (Func<string, bool>)selector.Carries))
        {
            throw new ArgumentException("The streamer must be in universe mode (StreamerConfig.Universe) with this selector's Carries as its UniverseSelector.", nameof(streamer));
        }

        if (selector.IsAttached)
        {
            throw new ArgumentException("This NatsSlotSelector serves another node already: give each node its own.", nameof(selector));
        }

        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        var time = timeProvider ?? TimeProvider.System;
        return StartAsync(
            streamer,
            options,
            BusNames.SlotsByMarket,
            (leases, takeOver) =>
            {
                var markets = new CarriedMarkets(options.Slots, leases.Holds);
                selector.Attach(markets);
                return new MarketSlots(leases, markets, streamer, takeOver, time, loggers.CreateLogger<NatsNode>());
            },
            loggers,
            time,
            cancellationToken);
    }

    private static async Task<NatsNode> StartAsync(Streamer streamer, NatsScaleOutOptions options, string slotsBy, ContentsFactory contents, ILoggerFactory loggers, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        NatsConfig.Validate(options);
        var connection = NatsConfig.Connect(options, options.NodeId);
        try
        {
            var time = timeProvider ?? TimeProvider.System;
            var store = await BusStore.OpenAsync(connection, options, cancellationToken).ConfigureAwait(false);
            var publisher = await JetStreamPublisher.OpenAsync(connection, time, loggers.CreateLogger<JetStreamPublisher>(), cancellationToken).ConfigureAwait(false);
            var node = new NatsNode(connection, publisher, streamer, store, options, slotsBy, contents, time, loggers);
            NatsLog.Connected(node._logger, options.NodeId, Redaction.Url(options.Url), options.StreamName, options.SnapshotBucket, options.LeaseBucket);
            if (!streamer.Config.HashTrades)
            {
                NatsLog.TradesNotHashed(node._logger);
            }

            node.Start();
            return node;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Start()
    {
        var token = _stopping.Token;
        _loops.Add(Task.Run(() => _publisher.RunAsync(token), token));
        _loops.Add(Task.Run(() => _sink.RunAsync(_events, token), token));
        _loops.Add(Task.Run(() => _snapshots.RunAsync(token), token));
        _loops.Add(Task.Run(() => _leases.RunAsync(token), token));
        _loops.Add(Task.Run(() => _contents.RunAsync(token), token));
    }

    /// <summary>
    /// Hands every slot back (the other nodes take them over at their next round), writes the last
    /// snapshots and stops publishing; the streamer is the caller's to dispose.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops.Select(IgnoreCancellation)).ConfigureAwait(false);
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _snapshots.FlushAsync(force: true, shutdown.Token).ConfigureAwait(false);
            await _leases.ReleaseAllAsync(shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            // NATS is gone: the leases expire by themselves within the lease period.
        }

        await _events.DisposeAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _contents.Dispose();
        _stopping.Dispose();
    }

    private static async Task IgnoreCancellation(Task loop)
    {
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop was told to stop.
        }
    }
}
