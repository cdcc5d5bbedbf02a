using System.Buffers;
using System.IO.Hashing;
using System.Text;
using PolyStream.Events;

namespace PolyStream.Nats;

/// <summary>
/// Groups a publish round's events into version 2 messages: one open batch per slot (so every batch lies
/// under one lease), closed when it holds <see cref="MaxEvents"/> events, when the next event would take it
/// past <see cref="MaxBytes"/>, or when the round ends (<see cref="Flush"/>): no event waits for a later round
/// (the sink spaces the rounds, <see cref="NatsScaleOutOptions.BatchAge"/>).
/// </summary>
/// <remarks>
/// The whole books a node taking an asset over looks for by subject (a snapshot that opens an epoch, a tick size
/// change, a re-base) and the events named by the venue's own keys (<see cref="BusNames.VenueEventId"/>) go alone
/// on their own subject: the taking node finds the last epoch there, and the same venue event relayed by two
/// nodes has the same id. Before one goes out, its slot's open batch is closed, so each asset's events keep
/// their order on the stream.
/// </remarks>
/// <param name="encoder">Writes the events and envelopes.</param>
/// <param name="slots">How many slots assets hash into (<see cref="NatsScaleOutOptions.Slots"/>).</param>
internal sealed class BusBatcher(BusEncoder encoder, int slots)
{
    /// <summary>The most events in one batch.</summary>
    public const int MaxEvents = 128;

    /// <summary>The largest body of a batch of several events; an event larger than that alone goes in a batch of its own.</summary>
    public const int MaxBytes = 64 * 1024;

    private readonly Dictionary<int, OpenBatch> _open = [];
    private readonly Stack<OpenBatch> _spare = new();

    /// <summary>Batches open in this round.</summary>
    public int Open => _open.Count;

    /// <summary>
    /// Adds a stream event to its slot's batch, or publishes it alone; finished messages are appended to
    /// <paramref name="output"/>. Returns whether the event is published (see <see cref="BusEncoder.TryWriteEvent"/>).
    /// </summary>
    public bool Add(StreamEvent streamEvent, List<BusMessage> output)
    {
        if (!encoder.TryWriteEvent(streamEvent, out var json, out var id))
        {
            return false;
        }

        var book = (streamEvent as BookStateEvent)?.Book;
        if (streamEvent.AssetId is not { } asset || !IsBatched(streamEvent))
        {
            if (streamEvent.AssetId is { } own)
            {
                Close(BusNames.SlotOf(own, slots), output);
            }

            output.Add(encoder.Message(encoder.Subject(streamEvent), Encoding.UTF8.GetString(id), json, 1, book is null ? [] : [book]));
            return true;
        }

        var slot = BusNames.SlotOf(asset, slots);
        if (_open.TryGetValue(slot, out var batch) && batch.Length + 1 + json.Length + encoder.EnvelopeLength > MaxBytes)
        {
            Close(slot, output);
            batch = null;
        }

        if (batch is null)
        {
            batch = _spare.Count > 0 ? _spare.Pop() : new OpenBatch();
            _open.Add(slot, batch);
        }

        batch.Add(json, id, asset, book);
        if (batch.Count == MaxEvents)
        {
            Close(slot, output);
        }

        return true;
    }

    /// <summary>Publishes a re-base of the book, after its slot's open batch.</summary>
    public void AddRebase(BookView view, List<BusMessage> output)
    {
        Close(BusNames.SlotOf(view.AssetId, slots), output);
        output.Add(encoder.EncodeRebase(view));
    }

    /// <summary>Closes every open batch into <paramref name="output"/>: the end of a publish round.</summary>
    public void Flush(List<BusMessage> output)
    {
        foreach (var slot in _open.Keys.ToList())
        {
            Close(slot, output);
        }
    }

    /// <summary>
    /// Events in a slot's batch: those of one asset without a venue id, except the whole books a node taking the
    /// asset over must find by subject. That node needs only the last epoch published, so a snapshot that continues
    /// its epoch (seq above 0: mostly the venue's book after a trade, which a busy feed sends often) is batched.
    /// </summary>
    private static bool IsBatched(StreamEvent streamEvent) => streamEvent switch
    {
        BookSnapshotApplied snapshot => snapshot.Seq > 0,
        TickSizeChanged => false,
        _ => BusNames.VenueEventId(streamEvent) is null,
    };

    private void Close(int slot, List<BusMessage> output)
    {
        if (_open.Remove(slot, out var batch))
        {
            output.Add(batch.Close(encoder, slot));
            _spare.Push(batch);
        }
    }

    /// <summary>One slot's batch being filled: the events' objects, comma-separated, and a running hash of their ids.</summary>
    private sealed class OpenBatch
    {
        private readonly ArrayBufferWriter<byte> _events = new(MaxBytes);
        private readonly XxHash64 _ids = new();
        private readonly Dictionary<string, BookView> _books = new(StringComparer.Ordinal);
        private string _firstId = string.Empty;

        public int Count { get; private set; }

        public int Length => _events.WrittenCount;

        public void Add(ReadOnlySpan<byte> json, ReadOnlySpan<byte> id, string asset, BookView? book)
        {
            if (Count == 0)
            {
                _firstId = Encoding.UTF8.GetString(id); // the batch's id starts with it: one string per batch
            }
            else
            {
                _events.Write(","u8);
            }

            _events.Write(json);

            // Ids are short ASCII (BusNames.IsSafeId parts, digits and ':'); a newline ends each, so "a"+"bc" ≠ "ab"+"c".
            _ids.Append(id);
            _ids.Append("\n"u8);
            if (book is not null)
            {
                _books[asset] = book; // The latest state wins: the snapshot writer wants the furthest.
            }

            Count++;
        }

        public BusMessage Close(BusEncoder encoder, int slot)
        {
            var message = encoder.Message(encoder.BatchSubject(slot), BusNames.BatchId(_firstId, Count, _ids.GetCurrentHashAsUInt64()), _events.WrittenSpan, Count, [.. _books.Values]);
            _events.ResetWrittenCount();
            _ids.Reset();
            _books.Clear();
            Count = 0;
            return message;
        }
    }
}
