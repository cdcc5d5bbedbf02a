using System.Text.Json;
using Microsoft.Extensions.Logging;
using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>
/// Everything a replica knows, fed by whatever reads the bus: the books, who holds each slot's lease
/// and when it was last renewed, and the counts. Thread-safe; the views it hands out are immutable.
/// </summary>
internal sealed class ReplicaState(NatsScaleOutOptions options, IReadOnlySet<string>? assets, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<string, ReplicaBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string Publisher, long SeenAt)> _leases = [];
    private bool _slotsByMarket; // universe mode's nodes hold markets' slots (their leases say so), the fixed list's assets'
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

    /// <summary>
    /// Applies one stream message, a version 1 event or a version 2 batch, proving each event by its hash; a
    /// message any part of which is unreadable is counted and logged, and changes nothing.
    /// </summary>
    public void Apply(string subject, ReadOnlySpan<byte> json, ulong streamSequence)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Exchange(ref _lastSequence, (long)streamSequence);
        try
        {
            var updates = BusUpdate.Read(json, Follows);
            lock (_books)
            {
                foreach (var update in updates)
                {
                    Step(update);
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

        var (publisher, byMarket) = value is null ? (null, false) : ReadLease(value);
        lock (_books)
        {
            if (publisher is null)
            {
                _leases.Remove(slot);
            }
            else
            {
                _leases[slot] = (publisher, time.GetTimestamp());
                _slotsByMarket = byMarket;
            }
        }
    }

    /// <summary>Applies one event to its book; a gap or a differing hash is counted and logged with the event's position.</summary>
    private void Step(BusUpdate update)
    {
        var book = Book(update.AssetId);
        var (wasEpoch, wasSeq) = (book.Epoch, book.Seq);
        switch (update.ApplyTo(book))
        {
            case ReplicaStep.Gap:
                Interlocked.Increment(ref _gaps);
                NatsLog.ReplicaGap(logger, update.AssetId, wasEpoch, wasSeq, update.Epoch, update.Seq);
                break;
            case ReplicaStep.Diverged:
                Interlocked.Increment(ref _divergences);
                NatsLog.ReplicaDiverged(logger, update.AssetId, update.Epoch, update.Seq);
                break;
        }
    }

    private bool OwnerAlive(ReplicaBook book) =>
        _leases.TryGetValue(BusNames.SlotOf(_slotsByMarket ? book.Market : book.AssetId, options.Slots), out var lease)
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

    /// <summary>A lease's publisher, and whether its slots are markets' (universe mode) rather than assets'.</summary>
    private static (string? Publisher, bool ByMarket) ReadLease(byte[] value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            var root = document.RootElement;
            var publisher = root.TryGetProperty("publisher", out var name) ? name.GetString() : null;
            return (publisher, root.TryGetProperty("by", out var by) && by.ValueKind == JsonValueKind.String && by.ValueEquals(BusNames.SlotsByMarket));
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }
}
