using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using PolyStream.Bus;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// One daemon's part in a scale-out on NATS JetStream. It owns a fair share of the asset universe through
/// leases, streams those assets with its <see cref="Streamer"/>, publishes every event to the stream
/// (subjects <c>polystream.&lt;event&gt;.&lt;asset&gt;</c>, de-duplicated by <c>asset:epoch:seq</c>) and keeps
/// each book's latest state in a KV bucket. When a node dies its slots expire and the others take them
/// over, restoring each book from the bus so the hand-over shows as a new epoch, never as a silent jump.
/// </summary>
/// <example>
/// <code>
/// await using var streamer = new Streamer(new StreamerConfig());
/// await streamer.StartAsync(host);
/// await using var node = await NatsNode.StartAsync(streamer, universe, new NatsScaleOutOptions { Url = "nats://127.0.0.1:4222", NodeId = "node-a" });
/// </code>
/// </example>
public sealed class NatsNode : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly Streamer _streamer;
    private readonly BusStore _store;
    private readonly SlotLeases _leases;
    private readonly SnapshotWriter _snapshots;
    private readonly JetStreamPublisher _publisher;
    private readonly BusEncoder _encoder;
    private readonly NatsEventSink _sink;
    private readonly long _unsafeUniverse;
    private readonly EventSubscriber _events;
    private readonly NatsNodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private int _disposed;

    private NatsNode(NatsConnection connection, JetStreamPublisher publisher, Streamer streamer, BusStore store, NatsScaleOutOptions options, IEnumerable<string> universe, TimeProvider time, ILoggerFactory loggers)
    {
        _connection = connection;
        _publisher = publisher;
        _streamer = streamer;
        _store = store;
        _logger = loggers.CreateLogger<NatsNode>();
        NodeId = options.NodeId;
        Publisher = $"{options.NodeId}-{Guid.NewGuid().ToString("N")[..6]}";
        var (safe, unsafeIds) = SafeUniverse(universe);
        if (unsafeIds > 0)
        {
            NatsLog.UnsafeUniverse(_logger, unsafeIds);
        }

        _unsafeUniverse = unsafeIds;
        _leases = new SlotLeases(store.Leases, options, Publisher, safe, time, loggers.CreateLogger<SlotLeases>())
        {
            Acquired = TakeOverAsync,
            Released = (assets, ct) => streamer.UnsubscribeAsync(assets, ct).AsTask(),
        };
        _snapshots = new SnapshotWriter(store.Snapshots, options, Publisher, _leases, time, loggers.CreateLogger<SnapshotWriter>());
        _encoder = new BusEncoder(options.SubjectPrefix, Publisher, logger: loggers.CreateLogger<BusEncoder>());
        _sink = new NatsEventSink(publisher, _encoder, _snapshots.Published, options, _leases, streamer.GetOrderBook, time);
        // Deep enough to ride out a NATS restart; past it the sink re-bases every book rather than block the feed.
        _events = streamer.Subscribe(new SubscriberOptions { Capacity = 200_000, Overflow = OverflowPolicy.DropOldest, Name = "nats-sink" });
        _metrics = new NatsNodeMetrics(this);
    }

    /// <summary>This node's name.</summary>
    public string NodeId { get; }

    /// <summary>This run's publisher id (<c>node-xxxxxx</c>), written in every message's <c>node</c> field.</summary>
    public string Publisher { get; }

    /// <summary>The slots this node holds.</summary>
    public IReadOnlyList<int> OwnedSlots => _leases.HeldSlots;

    /// <summary>The assets this node owns and publishes now.</summary>
    public IReadOnlyCollection<string> OwnedAssets => _leases.HeldAssets;

    /// <summary>What the node has published so far.</summary>
    public NatsNodeCounts Counts => new(_sink.Published, _sink.Retried, _sink.Rebased, _snapshots.Written, _sink.LastAcknowledged, _encoder.Refused + _unsafeUniverse);

    /// <summary>
    /// Connects to NATS, creates the stream and buckets if missing, and starts taking a fair share of
    /// <paramref name="universe"/>. The streamer should be started with no assets: the node subscribes it to what it owns.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not usable (node id, slots, lease period).</exception>
    /// <exception cref="NatsException">NATS is unreachable or refused the credentials.</exception>
    public static async Task<NatsNode> StartAsync(Streamer streamer, IEnumerable<string> universe, NatsScaleOutOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamer);
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(options);
        NatsConfig.Validate(options);
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        var connection = NatsConfig.Connect(options, options.NodeId);
        try
        {
            var time = timeProvider ?? TimeProvider.System;
            var store = await BusStore.OpenAsync(connection, options, cancellationToken).ConfigureAwait(false);
            var publisher = await JetStreamPublisher.OpenAsync(connection, time, loggers.CreateLogger<JetStreamPublisher>(), cancellationToken).ConfigureAwait(false);
            var node = new NatsNode(connection, publisher, streamer, store, options, universe, time, loggers);
            NatsLog.Connected(node._logger, options.NodeId, Redaction.Url(options.Url), options.StreamName, options.SnapshotBucket, options.LeaseBucket);
            node.Start();
            return node;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The universe without ids that could not be part of a subject or key; those are counted, never published.</summary>
    private static (List<string> Safe, int Unsafe) SafeUniverse(IEnumerable<string> universe)
    {
        var safe = new List<string>();
        var refused = 0;
        foreach (var asset in universe)
        {
            if (BusNames.IsSafeId(asset))
            {
                safe.Add(asset);
            }
            else
            {
                refused++;
            }
        }

        return (safe, refused);
    }

    private void Start()
    {
        var token = _stopping.Token;
        _loops.Add(Task.Run(() => _publisher.RunAsync(token), token));
        _loops.Add(Task.Run(() => _sink.RunAsync(_events, token), token));
        _loops.Add(Task.Run(() => _snapshots.RunAsync(token), token));
        _loops.Add(Task.Run(() => _leases.RunAsync(token), token));
    }

    /// <summary>Restores each taken asset from the bus at the last epoch anyone published, then streams it.</summary>
    private async Task TakeOverAsync(IReadOnlyCollection<string> assets, CancellationToken cancellationToken)
    {
        var restore = new List<BookCheckpoint>();
        foreach (var asset in assets)
        {
            if (await _store.LastPublishedAsync(asset, cancellationToken).ConfigureAwait(false) is { } book)
            {
                restore.Add(book);
            }
        }

        await _streamer.ResumeAsync(assets, restore, cancellationToken).ConfigureAwait(false);
        NatsLog.TookOver(_logger, assets.Count, restore.Count);
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
