using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PolyStream.Events;

/// <summary>
/// Writes stream events as JSON (schema version 1, docs/cli.md): <c>type</c>, <c>asset_id</c>, <c>epoch</c>,
/// <c>seq</c>, then the fields of that kind. Decimals are strings exactly as the venue sent them. The
/// NDJSON of <c>polystream stream --json</c> and the messages published to NATS share these fields.
/// </summary>
internal static partial class StreamEventJson
{
    /// <summary>The schema version written in every object's <c>v</c> field.</summary>
    public const int Version = 1;

    // Written for every event (NDJSON lines, bus subjects), so made once; the kinds are numbered from 0.
    private static readonly string[] s_typeNames = [.. Enum.GetValues<StreamEventKind>().Order().Select(SnakeCase)];

    /// <summary>One event as a single-line JSON object.</summary>
    public static string Line(StreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteFields(w, streamEvent);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the event's fields, from <c>v</c> on, into an object the caller has started, so it can add its own.</summary>
    public static void WriteFields(Utf8JsonWriter w, StreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(streamEvent);
        w.WriteNumber("v", Version);
        w.WriteString("type", TypeName(streamEvent.Kind));
        if (streamEvent.AssetId is { } asset)
        {
            w.WriteString("asset_id", asset);
        }

        w.WriteNumber("epoch", streamEvent.Epoch);
        w.WriteNumber("seq", streamEvent.Seq);
        if (streamEvent is BookStateEvent { Book: var view })
        {
            w.WriteString("state", view.State.ToString());
            var book = view.Summary;
            w.WriteString("best_bid", book.BestBid?.Price.ToString());
            w.WriteString("best_ask", book.BestAsk?.Price.ToString());
            w.WriteString("hash", book.Hash.ToString());
        }

        switch (streamEvent)
        {
            case BookDeltaApplied delta:
                w.WriteStartArray("changes");
                foreach (var change in delta.Changes)
                {
                    w.WriteStartObject();
                    w.WriteString("side", SideName(change.Side));
                    w.WriteString("price", change.Price.ToString());
                    w.WriteString("size", change.Size.ToString());
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("hash_check", delta.Hash.Outcome.ToString());
                break;
            case LastTradeReceived trade:
                w.WriteString("side", SideName(trade.Side));
                w.WriteString("price", trade.Price.ToString());
                w.WriteString("size", trade.Size.ToString());
                break;
            case BookStateChanged change:
                w.WriteString("from", change.OldState.ToString());
                w.WriteString("to", change.NewState.ToString());
                w.WriteString("reason", change.Reason.ToString());
                break;
            case HashMismatchDetected mismatch:
                w.WriteString("expected", mismatch.Expected.ToString());
                w.WriteString("actual", mismatch.Actual.ToString());
                w.WriteBoolean("pending", mismatch.Pending);
                break;
            case BestBidAskReceived quote:
                w.WriteString("best_bid", quote.BestBid?.ToString());
                w.WriteString("best_ask", quote.BestAsk?.ToString());
                w.WriteString("spread", quote.Spread?.ToString());
                break;
            case TickSizeChanged tick:
                w.WriteString("old_tick_size", tick.OldTickSize.ToString());
                w.WriteString("new_tick_size", tick.NewTickSize.ToString());
                break;
            case ResyncRequested resync:
                w.WriteString("reason", resync.Reason.ToString());
                break;
            case Lagged lagged:
                w.WriteNumber("lost", lagged.Count);
                break;
            default:
                WriteVenueFields(w, streamEvent);
                break;
        }
    }

    /// <summary>The kind in snake case: <c>book_delta</c>, <c>book_state_changed</c>, …</summary>
    public static string TypeName(StreamEventKind kind) =>
        (uint)kind < (uint)s_typeNames.Length ? s_typeNames[(int)kind] : SnakeCase(kind);

    private static string SnakeCase(StreamEventKind kind)
    {
        var name = kind.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
