using System.Buffers;
using System.Text.Json;
using PolyStream.Recording;
using PolyStream.Streaming;

namespace PolyStream.Nats;

/// <summary>
/// Turns stream events into bus messages: the fields of <c>polystream stream --json</c> (<see cref="StreamEventJson"/>)
/// plus what a replica needs to rebuild and prove each book: the publisher, the whole book on every
/// re-base, the market and timestamp of a delta, the last trade price of a trade, and the hash of the
/// book after the event (<c>content_hash</c>).
/// </summary>
internal sealed class BusEncoder(string prefix, string publisher)
{
    private readonly Dictionary<string, (long Epoch, long Seq, long Ordinal)> _ordinals = new(StringComparer.Ordinal);

    /// <summary>The event as a message, or <see langword="null"/> when its kind is not published.</summary>
    public BusMessage? Encode(StreamEvent streamEvent)
    {
        if (!BusNames.IsPublished(streamEvent.Kind))
        {
            return null;
        }

        var name = StreamEventJson.TypeName(streamEvent.Kind);
        var payload = Write(w =>
        {
            StreamEventJson.WriteFields(w, streamEvent);
            w.WriteString("node", publisher);
            if (streamEvent is BookStateEvent { Book: var view })
            {
                WriteBookFields(w, streamEvent, view);
            }
        });
        var book = (streamEvent as BookStateEvent)?.Book;
        var id = BusNames.VenueEventId(streamEvent) ?? MessageId(streamEvent.AssetId, streamEvent.Epoch, streamEvent.Seq, name);
        return new BusMessage(BusNames.Subject(prefix, name, streamEvent.AssetId), id, payload, book);
    }

    /// <summary>A re-base of one book at its current position, published after the sink may have lost or reordered events.</summary>
    public BusMessage EncodeRebase(BookView view)
    {
        var payload = Write(w =>
        {
            w.WriteNumber("v", StreamEventJson.Version);
            w.WriteString("type", BusNames.Rebase);
            w.WriteString("asset_id", view.AssetId);
            w.WriteNumber("epoch", view.Epoch);
            w.WriteNumber("seq", view.Seq);
            w.WriteString("state", view.State.ToString());
            w.WriteString("node", publisher);
            w.WriteString("content_hash", view.Summary.ComputeHash().ToString());
            WriteBook(w, view);
        });
        return new BusMessage(BusNames.Subject(prefix, BusNames.Rebase, view.AssetId), MessageId(view.AssetId, view.Epoch, view.Seq, BusNames.Rebase), payload, view);
    }

    /// <summary>Writes a book's whole state: the replica bases on it, a node taking over restores from it.</summary>
    public static void WriteBook(Utf8JsonWriter w, BookView view)
    {
        w.WritePropertyName("book");
        BookCheckpointJson.Write(w, new BookCheckpoint(view.Summary, view.Epoch, view.Seq));
    }

    private static void WriteBookFields(Utf8JsonWriter w, StreamEvent streamEvent, BookView view)
    {
        var summary = view.Summary;
        w.WriteString("content_hash", summary.ComputeHash().ToString());
        switch (streamEvent)
        {
            case BookSnapshotApplied or TickSizeChanged:
                WriteBook(w, view);
                break;
            case BookDeltaApplied:
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
                w.WriteString("last_trade_price", summary.LastTradePrice?.ToString());
                break;
        }
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

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
