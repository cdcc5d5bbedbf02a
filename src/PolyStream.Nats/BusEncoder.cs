using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// Turns stream events into bus messages. Each event is written as the fields of <c>polystream stream --json</c>
/// (<see cref="StreamEventJson"/>) plus what a replica needs to rebuild and prove each book: the whole book on
/// every re-base, the market and timestamp of a delta, the last trade price of a trade, and the hash of the
/// book after the event (<c>content_hash</c>). Messages are schema version 2 (docs/scale-out.md): an envelope
/// naming the publisher once around one or more such events; <see cref="BusBatcher"/> groups them.
/// </summary>
/// <remarks>
/// One sink's loop uses an encoder, never two threads at once: it writes into reused buffers and copies
/// out only finished bodies.
/// </remarks>
/// <param name="prefix">The subject prefix.</param>
/// <param name="publisher">The publisher written into every message.</param>
/// <param name="engineHashVersion">
/// The hash algorithm of the engine whose events are encoded. When it is the one replicas compute
/// (<see cref="BookHashVersion.Current"/>), a book hash the engine computed and found matching the venue's
/// is reused as the content hash instead of being computed again.
/// </param>
/// <param name="logger">Where refused events are logged; <see langword="null"/> for nowhere.</param>
/// <param name="bodiesInFlight">How many bodies wait for their acknowledgement at most: the sink's <see cref="NatsScaleOutOptions.MaxInFlight"/>.</param>
internal sealed class BusEncoder(
    string prefix,
    string publisher,
    BookHashVersion engineHashVersion = BookHashVersion.Current,
    ILogger? logger = null,
    int bodiesInFlight = NatsScaleOutOptions.DefaultMaxInFlight)
{
    /// <summary>The schema version of a batch envelope, in its <c>v</c> field.</summary>
    public const int BatchVersion = 2;

    private static readonly byte[] s_envelopeEnd = "]}"u8.ToArray();

    // Bodies wait for their acknowledgement for a round trip (10-35 ms at 6,000 messages a second on busy cores); as fresh
    // arrays every collection copied them into an older generation. A batch is at most 64 KiB plus its envelope; a larger
    // body (a re-base of a very deep book) is allocated and dropped by the pool. Each bucket keeps as many arrays as the
    // sink keeps messages in flight: fewer, and a sink with a full window allocates the rest anew.
    private readonly ArrayPool<byte> _payloads = ArrayPool<byte>.Create(maxArrayLength: 128 * 1024, maxArraysPerBucket: Math.Max(1, bodiesInFlight));

    // One writer per thread, pointed at the encoder's buffer for each object and done with it before the call returns.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private readonly Dictionary<string, (long Epoch, long Seq, long Ordinal)> _ordinals = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly byte[] _id = new byte[BusNames.MaxMessageIdLength];
    private readonly byte[] _envelopeStart = EnvelopeStart(publisher);
    private long _refused;

    /// <summary>Events refused because an id would have reached a subject, key or message id unsafe (<see cref="BusNames.IsSafeId"/>).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The bytes an envelope adds around its events.</summary>
    public int EnvelopeLength => _envelopeStart.Length + s_envelopeEnd.Length;

    /// <summary>
    /// Writes the event as one JSON object (without <c>node</c>, which its envelope carries) and returns it with its
    /// de-duplication id in UTF-8, or returns <see langword="false"/> when its kind is not published or one of its
    /// ids is unsafe (counted in <see cref="Refused"/>). Both spans are valid until the next call.
    /// </summary>
    public bool TryWriteEvent(StreamEvent streamEvent, out ReadOnlySpan<byte> json, out ReadOnlySpan<byte> messageId)
    {
        json = default;
        messageId = default;
        if (!IsPublishable(streamEvent))
        {
            return false;
        }

        var w = Begin();
        WriteEventFields(w, streamEvent);
        End(w);
        json = _buffer.WrittenSpan;
        messageId = WriteMessageId(streamEvent);
        return true;
    }

    /// <summary>
    /// The event as a version 1 message: one event, its publisher in <c>node</c>. Replicas read these for a
    /// release after the move to version 2; the compatibility tests write them, and the encoder benchmarks
    /// compare against this one-message-per-event encoding.
    /// </summary>
    public BusMessage? EncodeVersion1(StreamEvent streamEvent)
    {
        if (!IsPublishable(streamEvent))
        {
            return null;
        }

        var w = Begin();
        WriteEventFields(w, streamEvent);
        w.WriteString("node", publisher);
        End(w);
        return new BusMessage(Subject(streamEvent), Encoding.UTF8.GetString(WriteMessageId(streamEvent)), _buffer.WrittenSpan.ToArray(), 1, (streamEvent as BookStateEvent)?.Book is { } book ? [book] : []);
    }

    /// <summary>A re-base of one book at its current position, published after the sink may have lost or reordered events.</summary>
    public BusMessage EncodeRebase(BookView view)
    {
        var w = Begin();
        w.WriteNumber("v", StreamEventJson.Version);
        w.WriteString("type", BusNames.Rebase);
        w.WriteString("asset_id", view.AssetId);
        w.WriteNumber("epoch", view.Epoch);
        w.WriteNumber("seq", view.Seq);
        w.WriteString("state", view.State.ToString());
        StreamEventJson.WriteHash(w, "content_hash"u8, view.Summary.ComputeHash());
        WriteBook(w, view);
        End(w);
        var id = Encoding.UTF8.GetString(WriteMessageId(view.AssetId, view.Epoch, view.Seq, BusNames.Rebase));
        return Message(BusNames.Subject(prefix, BusNames.Rebase, view.AssetId), id, _buffer.WrittenSpan, 1, [view]);
    }

    /// <summary>
    /// A version 2 message around <paramref name="events"/>: the envelope's opening, the events' objects separated
    /// by commas, and its end, copied into one body from the encoder's pool, kept until the stream stores it and then
    /// given back (<see cref="Release"/>).
    /// </summary>
    public BusMessage Message(string subject, string messageId, ReadOnlySpan<byte> events, int count, IReadOnlyList<BookView> books)
    {
        var length = _envelopeStart.Length + events.Length + s_envelopeEnd.Length;
        var payload = _payloads.Rent(length);
        _envelopeStart.CopyTo(payload, 0);
        events.CopyTo(payload.AsSpan(_envelopeStart.Length));
        s_envelopeEnd.CopyTo(payload, _envelopeStart.Length + events.Length);
        return new BusMessage(subject, messageId, payload.AsMemory(0, length), count, books);
    }

    /// <summary>Gives a stored message's body back to the pool; the message must not be published or read after this.</summary>
    public void Release(BusMessage message)
    {
        if (MemoryMarshal.TryGetArray(message.Payload, out var body) && body.Array is { } array)
        {
            _payloads.Return(array);
        }
    }

    /// <summary>The subject of a slot's batches, <c>&lt;prefix&gt;.batch.NNNN</c>.</summary>
    public string BatchSubject(int slot) => BusNames.BatchSubject(prefix, slot);

    /// <summary>Writes a book's whole state: the replica bases on it, a node taking over restores from it.</summary>
    public static void WriteBook(Utf8JsonWriter w, BookView view)
    {
        w.WritePropertyName("book");
        BookCheckpointJson.Write(w, new BookCheckpoint(view.Summary, view.Epoch, view.Seq));
    }

    /// <summary><c>{"v":2,"node":"…","events":[</c>, the same for every message of this publisher.</summary>
    private static byte[] EnvelopeStart(string publisher)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", BatchVersion);
            w.WriteString("node", publisher);
            w.WriteStartArray("events");
            w.Flush();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private bool IsPublishable(StreamEvent streamEvent)
    {
        if (!BusNames.IsPublished(streamEvent.Kind))
        {
            return false;
        }

        if (BusNames.UnsafeField(streamEvent) is { } field)
        {
            Interlocked.Increment(ref _refused);
            NatsLog.UnsafeId(logger ?? NullLogger.Instance, streamEvent.Kind, field);
            return false;
        }

        return true;
    }

    /// <summary>The event's own subject, <c>&lt;prefix&gt;.&lt;event&gt;.&lt;asset&gt;</c>.</summary>
    public string Subject(StreamEvent streamEvent) => BusNames.Subject(prefix, StreamEventJson.TypeName(streamEvent.Kind), streamEvent.AssetId);

    private void WriteEventFields(Utf8JsonWriter w, StreamEvent streamEvent)
    {
        StreamEventJson.WriteFields(w, streamEvent);
        if (streamEvent is BookStateEvent { Book: var view })
        {
            WriteBookFields(w, streamEvent, view);
        }
    }

    private void WriteBookFields(Utf8JsonWriter w, StreamEvent streamEvent, BookView view)
    {
        StreamEventJson.WriteHash(w, "content_hash"u8, ContentHash(streamEvent, view));
        switch (streamEvent)
        {
            case BookSnapshotApplied or TickSizeChanged:
                WriteBook(w, view);
                break;
            case BookDeltaApplied:
                // From the view's top, not its summary: a linked view would rebuild its whole book for two fields.
                var top = view.Top;
                w.WriteString("market", top.Market);
                w.WritePropertyName("timestamp");
                if (top.Timestamp is { } timestamp)
                {
                    w.WriteNumberValue(timestamp);
                }
                else
                {
                    w.WriteNullValue();
                }

                break;
            case LastTradeReceived:
                StreamEventJson.WriteDecimal(w, "last_trade_price"u8, view.Top.LastTradePrice);
                break;
        }
    }

    /// <summary>
    /// The hash of the book after the event. When the engine checked this event's hash and it matched, or hashed a
    /// trade's book for us (<see cref="StreamerConfig.HashTrades"/>), it has computed exactly this already; hashing
    /// the book again costs the sink more than anything else it does per event.
    /// </summary>
    private BookHash ContentHash(StreamEvent streamEvent, BookView view)
    {
        var computed = streamEvent switch
        {
            BookDeltaApplied { Hash: { Outcome: HashOutcome.Matched } check } => check.Actual,
            BookSnapshotApplied { Hash: { Outcome: HashOutcome.Matched } check } => check.Actual,
            LastTradeReceived trade => trade.Hash, // when the engine hashes trades (a trade's view would rebuild its book)
            _ => default,
        };
        return computed.HasValue && engineHashVersion == BookHashVersion.Current ? computed : view.Summary.ComputeHash();
    }

    /// <summary>The event's de-duplication id (<see cref="BusNames"/>) in UTF-8, valid until the next call.</summary>
    private ReadOnlySpan<byte> WriteMessageId(StreamEvent streamEvent)
    {
        if (BusNames.VenueEventId(streamEvent) is not { } venueId)
        {
            return WriteMessageId(streamEvent.AssetId, streamEvent.Epoch, streamEvent.Seq, StreamEventJson.TypeName(streamEvent.Kind));
        }

        // Rare (listings, resolutions, user events), and a user event's id holds fields of any length.
        var length = Encoding.UTF8.GetByteCount(venueId);
        var bytes = length <= _id.Length ? _id : new byte[length];
        return bytes.AsSpan(0, Encoding.UTF8.GetBytes(venueId, bytes));
    }

    private ReadOnlySpan<byte> WriteMessageId(string? assetId, long epoch, long seq, string name)
    {
        var ordinal = 0L;
        if (!BusNames.IsBookChange(name))
        {
            // Events sharing a book position are told apart by a counter that restarts at each new position.
            var key = assetId ?? BusNames.NoAsset;
            ordinal = _ordinals.TryGetValue(key, out var last) && last.Epoch == epoch && last.Seq == seq ? last.Ordinal + 1 : 0;
            _ordinals[key] = (epoch, seq, ordinal);
        }

        return _id.AsSpan(0, BusNames.WriteMessageId(_id, assetId, epoch, seq, name, publisher, ordinal));
    }

    /// <summary>Starts an object in the reused buffer.</summary>
    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(_buffer);
        w.Reset(_buffer);
        w.WriteStartObject();
        return w;
    }

    private static void End(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.Flush();
    }
}
