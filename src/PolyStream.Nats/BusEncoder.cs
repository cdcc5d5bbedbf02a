using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Nats;

/// <summary>
/// Turns stream events into bus messages: the fields of <c>polystream stream --json</c> (<see cref="StreamEventJson"/>)
/// plus what a replica needs to rebuild and prove each book: the publisher, the whole book on every
/// re-base, the market and timestamp of a delta, the last trade price of a trade, and the hash of the
/// book after the event (<c>content_hash</c>).
/// </summary>
/// <remarks>
/// One sink's loop uses an encoder, never two threads at once: it writes every message into one reused
/// buffer and copies out only the finished body.
/// </remarks>
/// <param name="prefix">The subject prefix.</param>
/// <param name="publisher">The publisher written into every message.</param>
/// <param name="engineHashVersion">
/// The hash algorithm of the engine whose events are encoded. When it is the one replicas compute
/// (<see cref="BookHashVersion.Current"/>), a book hash the engine computed and found matching the venue's
/// is reused as the content hash instead of being computed again.
/// </param>
/// <param name="logger">Where refused events are logged; <see langword="null"/> for nowhere.</param>
internal sealed class BusEncoder(string prefix, string publisher, BookHashVersion engineHashVersion = BookHashVersion.Current, ILogger? logger = null)
{
    private readonly Dictionary<string, (long Epoch, long Seq, long Ordinal)> _ordinals = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private long _refused;

    /// <summary>Events refused because an id would have reached a subject, key or message id unsafe (<see cref="BusNames.IsSafeId"/>).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The event as a message, or <see langword="null"/> when its kind is not published or one of its ids is unsafe (counted in <see cref="Refused"/>).</summary>
    public BusMessage? Encode(StreamEvent streamEvent)
    {
        if (!BusNames.IsPublished(streamEvent.Kind))
        {
            return null;
        }

        if (BusNames.UnsafeField(streamEvent) is { } field)
        {
            Interlocked.Increment(ref _refused);
            NatsLog.UnsafeId(logger ?? NullLogger.Instance, streamEvent.Kind, field);
            return null;
        }

        var name = StreamEventJson.TypeName(streamEvent.Kind);
        byte[] payload;
        using (var w = Begin())
        {
            StreamEventJson.WriteFields(w, streamEvent);
            w.WriteString("node", publisher);
            if (streamEvent is BookStateEvent { Book: var view })
            {
                WriteBookFields(w, streamEvent, view);
            }

            payload = End(w);
        }

        var book = (streamEvent as BookStateEvent)?.Book;
        var id = BusNames.VenueEventId(streamEvent) ?? MessageId(streamEvent.AssetId, streamEvent.Epoch, streamEvent.Seq, name);
        return new BusMessage(BusNames.Subject(prefix, name, streamEvent.AssetId), id, payload, book);
    }

    /// <summary>A re-base of one book at its current position, published after the sink may have lost or reordered events.</summary>
    public BusMessage EncodeRebase(BookView view)
    {
        using var w = Begin();
        w.WriteNumber("v", StreamEventJson.Version);
        w.WriteString("type", BusNames.Rebase);
        w.WriteString("asset_id", view.AssetId);
        w.WriteNumber("epoch", view.Epoch);
        w.WriteNumber("seq", view.Seq);
        w.WriteString("state", view.State.ToString());
        w.WriteString("node", publisher);
        w.WriteString("content_hash", view.Summary.ComputeHash().ToString());
        WriteBook(w, view);
        return new BusMessage(BusNames.Subject(prefix, BusNames.Rebase, view.AssetId), MessageId(view.AssetId, view.Epoch, view.Seq, BusNames.Rebase), End(w), view);
    }

    /// <summary>Writes a book's whole state: the replica bases on it, a node taking over restores from it.</summary>
    public static void WriteBook(Utf8JsonWriter w, BookView view)
    {
        w.WritePropertyName("book");
        BookCheckpointJson.Write(w, new BookCheckpoint(view.Summary, view.Epoch, view.Seq));
    }

    private void WriteBookFields(Utf8JsonWriter w, StreamEvent streamEvent, BookView view)
    {
        w.WriteString("content_hash", ContentHash(streamEvent, view).ToString());
        switch (streamEvent)
        {
            case BookSnapshotApplied or TickSizeChanged:
                WriteBook(w, view);
                break;
            case BookDeltaApplied:
                var summary = view.Summary;
                w.WriteString("market", summary.Market);
                w.WritePropertyName("timestamp");
                if (summary.Timestamp is { } timestamp)
                {
                    w.WriteNumberValue(timestamp);
                }
                else
                {
                    w.WriteNullValue();
                }

                break;
            case LastTradeReceived:
                w.WriteString("last_trade_price", view.Summary.LastTradePrice?.ToString());
                break;
        }
    }

    /// <summary>
    /// The hash of the book after the event. When the engine checked this event's hash and it matched, it has
    /// computed exactly this already (the venue's hash is then ours); hashing the book again costs the sink
    /// more than anything else it does per event.
    /// </summary>
    private BookHash ContentHash(StreamEvent streamEvent, BookView view)
    {
        var check = streamEvent switch
        {
            BookDeltaApplied delta => delta.Hash,
            BookSnapshotApplied snapshot => snapshot.Hash,
            _ => HashCheck.NotChecked,
        };
        return check.Outcome == HashOutcome.Matched && engineHashVersion == BookHashVersion.Current
            ? check.Actual
            : view.Summary.ComputeHash();
    }

    private string MessageId(string? assetId, long epoch, long seq, string name)
    {
        if (BusNames.IsBookChange(name))
        {
            return BusNames.MessageId(assetId, epoch, seq, name, publisher, 0);
        }

        // Events sharing a book position are told apart by a counter that restarts at each new position.
        var key = assetId ?? BusNames.NoAsset;
        var ordinal = _ordinals.TryGetValue(key, out var last) && last.Epoch == epoch && last.Seq == seq ? last.Ordinal + 1 : 0;
        _ordinals[key] = (epoch, seq, ordinal);
        return BusNames.MessageId(assetId, epoch, seq, name, publisher, ordinal);
    }

    /// <summary>Starts a message body in the reused buffer.</summary>
    private Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        var w = new Utf8JsonWriter(_buffer);
        w.WriteStartObject();
        return w;
    }

    /// <summary>Ends the body and copies it out: the publisher keeps it until the stream acknowledges it.</summary>
    private byte[] End(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenSpan.ToArray();
    }
}
