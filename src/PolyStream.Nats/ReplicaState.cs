using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// Everything a replica knows, fed by whatever reads the bus: the books, who holds each slot's lease
/// and when it was last renewed, and the counts. Thread-safe; the views it hands out are immutable.
/// </summary>
internal sealed class ReplicaState(NatsScaleOutOptions options, IReadOnlySet<string>? assets, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<string, ReplicaBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string Publisher, long SeenAt)> _leases = [];
    private readonly TimeSpan _leaseTtl = LeaseTiming.For(options.LeasePeriod).Ttl;
    private long _messages;
    private long _gaps;
    private long _divergences;
    private long _unreadable;
    private long _lastSequence;

    public NatsReplicaCounts Counts => new(Interlocked.Read(ref _messages), Interlocked.Read(ref _gaps), Interlocked.Read(ref _divergences), Interlocked.Read(ref _unreadable), (ulong)Interlocked.Read(ref _lastSequence));

    /// <summary>Whether the replica follows this book.</summary>
    public bool Follows(string assetId) => assets is null || assets.Contains(assetId);

    /// <summary>Whether every book the replica wants is among <paramref name="snapshotted"/>.</summary>
    public bool IsCoveredBy(HashSet<string> snapshotted) => assets is null || assets.All(snapshotted.Contains);

    public BookView? Get(string assetId)
    {
        lock (_books)
        {
            return _books.TryGetValue(assetId, out var book) ? book.View(OwnerAlive(book)) : null;
        }
    }

    public IReadOnlyList<BookView> All()
    {
        lock (_books)
        {
            return [.. _books.Values.Select(b => b.View(OwnerAlive(b)))];
        }
    }

    /// <summary>Bases a book on its KV snapshot.</summary>
    public void Load(string assetId, BookSnapshotRecord record)
    {
        lock (_books)
        {
            Book(assetId).Base(record.Book, record.State, record.Node, record.ContentHash);
        }
    }

    /// <summary>Applies one stream message; an unreadable one is counted and logged, and changes nothing.</summary>
    public void Apply(string subject, ReadOnlySpan<byte> json, ulong streamSequence)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Exchange(ref _lastSequence, (long)streamSequence);
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() > StreamEventJson.Version || !root.TryGetProperty("asset_id", out var assetElement) || !Follows(assetElement.GetString()!))
            {
                return;
            }

            var asset = assetElement.GetString()!;
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
                        NatsLog.ReplicaGap(logger, asset, wasEpoch, wasSeq, epoch, seq);
                        break;
                    case ReplicaStep.Diverged:
                        Interlocked.Increment(ref _divergences);
                        NatsLog.ReplicaDiverged(logger, asset, epoch, seq);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or ArgumentException)
        {
            Interlocked.Increment(ref _unreadable);
            NatsLog.ReplicaBadMessage(logger, subject, ex.Message);
        }
    }

    /// <summary>A lease key was written (<paramref name="value"/> names its publisher) or deleted (<see langword="null"/>).</summary>
    public void LeaseChanged(string key, byte[]? value)
    {
        if (!key.StartsWith("slot.", StringComparison.Ordinal) || !int.TryParse(key.AsSpan(5), out var slot))
        {
            return;
        }

        var publisher = value is null ? null : LeasePublisher(value);
        lock (_books)
        {
            if (publisher is null)
            {
                _leases.Remove(slot);
            }
            else
            {
                _leases[slot] = (publisher, time.GetTimestamp());
            }
        }
    }

    private static ReplicaStep Step(ReplicaBook book, JsonElement root, long epoch, long seq)
    {
        switch (root.GetProperty("type").GetString())
        {
            case BusNames.Snapshot or BusNames.TickSizeChange or BusNames.Rebase:
                return book.Base(BookCheckpointJson.Read(root.GetProperty("book")), State(root), root.GetProperty("node").GetString()!, ContentHash(root)) ? ReplicaStep.Applied : ReplicaStep.Skipped;
            case BusNames.Delta:
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

    private bool OwnerAlive(ReplicaBook book) =>
        _leases.TryGetValue(BusNames.SlotOf(book.AssetId, options.Slots), out var lease)
        && lease.Publisher == book.Publisher
        && time.GetElapsedTime(lease.SeenAt) < _leaseTtl;

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
