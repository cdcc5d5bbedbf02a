using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using PolyStream.Protocol;
using PolyStream.Recording;
using PolyStream.Streaming;

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
public sealed class NatsBookReplica : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsScaleOutOptions _options;
    private readonly HashSet<string>? _assets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ReplicaBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string Publisher, long SeenAt)> _leases = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private long _messages;
    private long _gaps;
    private long _divergences;
    private long _unreadable;
    private long _lastSequence;

    private NatsBookReplica(NatsConnection connection, NatsScaleOutOptions options, IEnumerable<string>? assets, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _assets = assets?.ToHashSet(StringComparer.Ordinal);
        _time = time;
        _logger = logger;
    }

    /// <summary>What the replica has read and found.</summary>
    public NatsReplicaCounts Counts => new(Interlocked.Read(ref _messages), Interlocked.Read(ref _gaps), Interlocked.Read(ref _divergences), Interlocked.Read(ref _unreadable), (ulong)Interlocked.Read(ref _lastSequence));

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
        var connection = NatsConfig.Connect(options, "replica");
        var replica = new NatsBookReplica(connection, options, assetIds, timeProvider ?? TimeProvider.System, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<NatsBookReplica>());
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
        lock (_books)
        {
            return _books.TryGetValue(assetId, out var book) ? book.View(OwnerAlive(book)) : null;
        }
    }

    /// <summary>The latest view of every book the replica follows.</summary>
    public IReadOnlyList<BookView> GetAllOrderBooks()
    {
        lock (_books)
        {
            return [.. _books.Values.Select(b => b.View(OwnerAlive(b)))];
        }
    }

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
        var consumer = await jetStream.CreateOrderedConsumerAsync(
            _options.StreamName,
            start is { } sequence
                ? new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = sequence }
                : new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All },
            cancellationToken).ConfigureAwait(false);
        var token = _stopping.Token;
        _loops.Add(Task.Run(() => FollowAsync(consumer, token), token));
        _loops.Add(Task.Run(() => WatchLeasesAsync(leases, token), token));
    }

    /// <summary>Bases every snapshotted book; returns where the stream must be followed from, or <see langword="null"/> for its start.</summary>
    private async Task<ulong?> LoadSnapshotsAsync(INatsKVStore snapshots, CancellationToken cancellationToken)
    {
        ulong? oldest = null;
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var key in snapshots.GetKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (_assets is not null && !_assets.Contains(key))
            {
                continue;
            }

            var entry = await snapshots.GetEntryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (entry.Value is { } value && BookSnapshotRecord.TryParse(value) is { } record)
            {
                lock (_books)
                {
                    Book(key).Base(record.Book, record.State, record.Node, record.ContentHash);
                }

                found.Add(key);
                oldest = oldest is null ? record.StreamSequence : Math.Min(oldest.Value, record.StreamSequence);
            }
        }

        // A wanted book with no snapshot yet can only be based from the stream's start.
        var complete = found.Count > 0 && (_assets is null || _assets.All(found.Contains));
        return complete ? oldest + 1 : null;
    }

    private async Task FollowAsync(INatsJSConsumer consumer, CancellationToken cancellationToken)
    {
        await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (message.Data is { } data)
            {
                Apply(message.Subject, data);
            }

            Interlocked.Increment(ref _messages);
            Interlocked.Exchange(ref _lastSequence, (long)(message.Metadata?.Sequence.Stream ?? 0));
        }
    }

    /// <summary>Applies one bus message; an unreadable one is counted and logged, and changes nothing.</summary>
    internal void Apply(string subject, ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() > StreamEventJson.Version || !root.TryGetProperty("asset_id", out var assetElement))
            {
                return;
            }

            var asset = assetElement.GetString()!;
            if (_assets is not null && !_assets.Contains(asset))
            {
                return;
            }

            var epoch = root.GetProperty("epoch").GetInt64();
            var seq = root.GetProperty("seq").GetInt64();
            lock (_books)
            {
                var book = Book(asset);
                var (wasEpoch, wasSeq) = (book.Epoch, book.Seq);
                switch (Step(book, root, epoch, seq))
                {
                    case ReplicaStep.Gap:
                        Interlocked.Increment(ref _gaps);
                        NatsLog.ReplicaGap(_logger, asset, wasEpoch, wasSeq, epoch, seq);
                        break;
                    case ReplicaStep.Diverged:
                        Interlocked.Increment(ref _divergences);
                        NatsLog.ReplicaDiverged(_logger, asset, epoch, seq);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentException)
        {
            Interlocked.Increment(ref _unreadable);
            NatsLog.ReplicaBadMessage(_logger, subject, ex.Message);
        }
    }

    private static ReplicaStep Step(ReplicaBook book, JsonElement root, long epoch, long seq)
    {
        switch (root.GetProperty("type").GetString())
        {
            case "book_snapshot" or "tick_size_change" or BusNames.Rebase:
                return book.Base(BookCheckpointJson.Read(root.GetProperty("book")), State(root), root.GetProperty("node").GetString()!, ContentHash(root)) ? ReplicaStep.Applied : ReplicaStep.Skipped;
            case "book_delta":
                var changes = root.GetProperty("changes").EnumerateArray()
                    .Select(c => (c.GetProperty("side").GetString() == "BUY" ? Side.Buy : Side.Sell, ExactDecimal.Parse(c.GetProperty("price").GetString()!), ExactDecimal.Parse(c.GetProperty("size").GetString()!)))
                    .ToImmutableArray();
                var timestamp = root.GetProperty("timestamp");
                return book.ApplyDelta(
                    epoch,
                    seq,
                    root.GetProperty("market").GetString()!,
                    timestamp.ValueKind == JsonValueKind.Null ? null : timestamp.GetInt64(),
                    Hash(root.GetProperty("hash")),
                    changes,
                    State(root),
                    ContentHash(root));
            case "last_trade":
                var price = root.GetProperty("last_trade_price").GetString();
                return book.ApplyTrade(epoch, seq, price is null ? null : ExactDecimal.Parse(price), State(root), ContentHash(root));
            case "book_state_changed":
                book.SetState(epoch, Enum.Parse<BookTrustState>(root.GetProperty("to").GetString()!));
                return ReplicaStep.Applied;
            default:
                return ReplicaStep.Skipped; // Quotes, mismatches, resync requests: nothing a book is built from.
        }
    }

    /// <summary>Follows the lease bucket: every renewal says which publisher holds a slot and that it is alive.</summary>
    private async Task WatchLeasesAsync(INatsKVStore leases, CancellationToken cancellationToken)
    {
        await foreach (var entry in leases.WatchAsync<byte[]>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!entry.Key.StartsWith("slot.", StringComparison.Ordinal) || !int.TryParse(entry.Key.AsSpan(5), out var slot))
            {
                continue;
            }

            lock (_books)
            {
                if (entry.Operation == NatsKVOperation.Put && entry.Value is { } value && LeasePublisher(value) is { } publisher)
                {
                    _leases[slot] = (publisher, _time.GetTimestamp());
                }
                else
                {
                    _leases.Remove(slot);
                }
            }
        }
    }

    private bool OwnerAlive(ReplicaBook book) =>
        _leases.TryGetValue(BusNames.SlotOf(book.AssetId, _options.Slots), out var lease)
        && lease.Publisher == book.Publisher
        && _time.GetElapsedTime(lease.SeenAt) < LeaseTiming.For(_options.LeasePeriod).Ttl;

    private ReplicaBook Book(string asset)
    {
        if (!_books.TryGetValue(asset, out var book))
        {
            book = new ReplicaBook(asset);
            _books.Add(asset, book);
        }

        return book;
    }

    private static string? LeasePublisher(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.TryGetProperty("publisher", out var publisher) ? publisher.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static BookTrustState State(JsonElement root) => Enum.Parse<BookTrustState>(root.GetProperty("state").GetString()!);

    private static BookHash ContentHash(JsonElement root) =>
        root.TryGetProperty("content_hash", out var hash) ? Hash(hash) : default;

    private static BookHash Hash(JsonElement hash) =>
        hash.GetString() is { Length: > 0 } text ? BookHash.Parse(text) : default;
}
