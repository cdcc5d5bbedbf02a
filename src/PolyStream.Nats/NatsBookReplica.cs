using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>
/// Order books rebuilt from the bus, with the <see cref="Streamer"/>'s reading API: it bootstraps from
/// the snapshot bucket, follows the stream from the oldest snapshot's position (so nothing between a
/// snapshot and the stream is missed), applies each book's events in <c>(Epoch, Seq)</c> order and proves
/// every step against the publisher's content hash.
/// </summary>
/// <remarks>
/// Trust states are the publisher's, made stricter here: a gap or a differing hash shows
/// <see cref="BookTrustState.Suspect"/> until the next re-base, and a book whose publisher no longer holds
/// its slot's lease (it died, or handed the slot over) shows <see cref="BookTrustState.Stale"/> until the new
/// owner's first snapshot, which arrives in a new epoch.
/// </remarks>
public sealed class NatsBookReplica : IOrderBookSource, IAsyncDisposable
{
    private static readonly TimeSpan s_restartDelay = TimeSpan.FromSeconds(1);
    private readonly NatsConnection _connection;
    private readonly NatsScaleOutOptions _options;
    private readonly ReplicaState _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    private NatsBookReplica(NatsConnection connection, NatsScaleOutOptions options, ReplicaState state, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _state = state;
        _time = time;
        _logger = logger;
    }

    /// <summary>What the replica has read and found.</summary>
    public NatsReplicaCounts Counts => _state.Counts;

    /// <summary>
    /// Connects, loads the snapshots and starts following the stream. <paramref name="assetIds"/> limits the
    /// replica to some books; <see langword="null"/> follows every book on the bus.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    /// <exception cref="NatsException">NATS is unreachable, or the stream or buckets do not exist yet (no node has started).</exception>
    public static async Task<NatsBookReplica> StartAsync(NatsScaleOutOptions options, IEnumerable<string>? assetIds = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        NatsConfig.Validate(options);
        var time = timeProvider ?? TimeProvider.System;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NatsBookReplica>();
        var state = new ReplicaState(options, assetIds?.ToHashSet(StringComparer.Ordinal), time, logger);
        var replica = new NatsBookReplica(NatsConfig.Connect(options, "replica"), options, state, time, logger);
        try
        {
            await replica.StartAsync(cancellationToken).ConfigureAwait(false);
            return replica;
        }
        catch
        {
            await replica.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The latest view of a book, or <see langword="null"/> when the bus has not carried it.</summary>
    public BookView? GetOrderBook(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        return _state.Get(assetId);
    }

    /// <summary>The latest view of every book the replica follows.</summary>
    public IReadOnlyList<BookView> GetAllOrderBooks() => _state.All();

    /// <summary>Stops following; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var loop in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Told to stop.
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var jetStream = new NatsJSContext(_connection);
        var kv = new NatsKVContext(jetStream);
        var snapshots = await kv.GetStoreAsync(_options.SnapshotBucket, cancellationToken).ConfigureAwait(false);
        var leases = await kv.GetStoreAsync(_options.LeaseBucket, cancellationToken).ConfigureAwait(false);
        var start = await LoadSnapshotsAsync(snapshots, cancellationToken).ConfigureAwait(false);
        var token = _stopping.Token;
        _loops.Add(Task.Run(() => KeepGoingAsync("stream", ct => FollowAsync(jetStream, start, ct), token), token));
        _loops.Add(Task.Run(() => KeepGoingAsync("leases", ct => WatchLeasesAsync(leases, ct), token), token));
    }

    /// <summary>
    /// Runs a reading loop until stopped, starting it again after a failure (the stream or bucket
    /// recreated, a long outage): the client's own reconnects cover the common case, this the rest.
    /// </summary>
    private async Task KeepGoingAsync(string what, Func<CancellationToken, Task> loop, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await loop(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NatsException && !cancellationToken.IsCancellationRequested)
            {
                NatsLog.ReplicaRestarting(_logger, what, ex.Message);
            }

            await Task.Delay(s_restartDelay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Bases every snapshotted book; returns where the stream must be followed from, or <see langword="null"/> for its start.</summary>
    private async Task<ulong?> LoadSnapshotsAsync(INatsKVStore snapshots, CancellationToken cancellationToken)
    {
        ulong? oldest = null;
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in snapshots.GetKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!_state.Follows(key))
            {
                continue;
            }

            var entry = await snapshots.GetEntryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (entry.Value is { } value && BookSnapshotRecord.TryParse(value) is { } record)
            {
                _state.Load(key, record);
                found.Add(key);
                oldest = oldest is null ? record.StreamSequence : Math.Min(oldest.Value, record.StreamSequence);
            }
        }

        // A wanted book with no snapshot yet can only be based from the stream's start.
        return found.Count > 0 && _state.IsCoveredBy(found) ? oldest + 1 : null;
    }

    /// <summary>Follows the stream from <paramref name="start"/>, or after the last message read when restarted.</summary>
    private async Task FollowAsync(NatsJSContext jetStream, ulong? start, CancellationToken cancellationToken)
    {
        var from = _state.Counts.LastSequence is > 0 and var last ? last + 1 : start;
        var consumer = await jetStream.CreateOrderedConsumerAsync(
            _options.StreamName,
            from is { } sequence
                ? new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = sequence }
                : new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All },
            cancellationToken).ConfigureAwait(false);
        await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            _state.Apply(message.Subject, message.Data, message.Metadata?.Sequence.Stream ?? 0);
        }
    }

    /// <summary>Follows the lease bucket: every renewal says which publisher holds a slot and that it is alive.</summary>
    private async Task WatchLeasesAsync(INatsKVStore leases, CancellationToken cancellationToken)
    {
        await foreach (var entry in leases.WatchAsync<byte[]>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            _state.LeaseChanged(entry.Key, entry.Operation == NatsKVOperation.Put ? entry.Value : null);
        }
    }
}
