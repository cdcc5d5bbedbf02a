using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>
/// Writes stream events as JSON (schema version 1, docs/cli.md): <c>type</c>, <c>asset_id</c>, <c>epoch</c>,
/// <c>seq</c>, then the fields of that kind. Decimals are strings exactly as the venue sent them. The
/// NDJSON of <c>polystream stream --json</c> and the messages published to NATS share these fields.
/// The book kinds are written without allocating (names as UTF-8, decimals and hashes formatted on the
/// stack), so a reused <see cref="Utf8JsonWriter"/> prints them at any rate without garbage.
/// </summary>
internal static partial class StreamEventJson
{
    /// <summary>The schema version written in every object's <c>v</c> field.</summary>
    public const int Version = 1;

    // Written for every event (NDJSON lines, bus subjects), so made once; the kinds are numbered from 0.
    private static readonly string[] s_typeNames = [.. Enum.GetValues<StreamEventKind>().Order().Select(SnakeCase)];
    private static readonly JsonEncodedText[] s_typeValues = [.. s_typeNames.Select(name => JsonEncodedText.Encode(name))];

    /// <summary>One event as a single-line JSON object.</summary>
    public static string Line(StreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteObject(w, streamEvent);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the event as one complete JSON object; the writer is left at the top level, ready to flush.</summary>
    public static void WriteObject(Utf8JsonWriter w, StreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        WriteFields(w, streamEvent);
        w.WriteEndObject();
    }

    /// <summary>Writes the event's fields, from <c>v</c> on, into an object the caller has started, so it can add its own.</summary>
    public static void WriteFields(Utf8JsonWriter w, StreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(streamEvent);
        w.WriteNumber("v"u8, Version);
        w.WriteString("type"u8, TypeValue(streamEvent.Kind));
        if (streamEvent.AssetId is { } asset)
        {
            w.WriteString("asset_id"u8, asset);
        }

        w.WriteNumber("epoch"u8, streamEvent.Epoch);
        w.WriteNumber("seq"u8, streamEvent.Seq);
        if (streamEvent is BookStateEvent { Book: var view })
        {
            WriteBookState(w, view);
        }

        switch (streamEvent)
        {
            case BookDeltaApplied delta:
                WriteDelta(w, delta);
                break;
            case LastTradeReceived trade:
                WriteSide(w, trade.Side);
                WriteDecimal(w, "price"u8, trade.Price);
                WriteDecimal(w, "size"u8, trade.Size);
                break;
            case BookStateChanged change:
                w.WriteString("from"u8, Names<BookTrustState>.Of(change.OldState));
                w.WriteString("to"u8, Names<BookTrustState>.Of(change.NewState));
                w.WriteString("reason"u8, Names<BookStateReason>.Of(change.Reason));
                break;
            case HashMismatchDetected mismatch:
                WriteHash(w, "expected"u8, mismatch.Expected);
                WriteHash(w, "actual"u8, mismatch.Actual);
                w.WriteBoolean("pending"u8, mismatch.Pending);
                break;
            case BestBidAskReceived quote:
                WriteDecimal(w, "best_bid"u8, quote.BestBid);
                WriteDecimal(w, "best_ask"u8, quote.BestAsk);
                WriteDecimal(w, "spread"u8, quote.Spread);
                break;
            case TickSizeChanged tick:
                WriteDecimal(w, "old_tick_size"u8, tick.OldTickSize);
                WriteDecimal(w, "new_tick_size"u8, tick.NewTickSize);
                break;
            case ResyncRequested resync:
                w.WriteString("reason"u8, Names<BookStateReason>.Of(resync.Reason));
                break;
            case Lagged lagged:
                w.WriteNumber("lost"u8, lagged.Count);
                break;
            case UniverseChanged universe:
                WriteUniverse(w, universe);
                break;
            default:
                WriteVenueFields(w, streamEvent);
                break;
        }
    }

    /// <summary>The kind in snake case: <c>book_delta</c>, <c>book_state_changed</c>, …</summary>
    public static string TypeName(StreamEventKind kind) =>
        (uint)kind < (uint)s_typeNames.Length ? s_typeNames[(int)kind] : SnakeCase(kind);

    private static JsonEncodedText TypeValue(StreamEventKind kind) =>
        (uint)kind < (uint)s_typeValues.Length ? s_typeValues[(int)kind] : JsonEncodedText.Encode(SnakeCase(kind));

    // The book after the event: its trust state, best prices and the hash it was last verified against.
    private static void WriteBookState(Utf8JsonWriter w, BookView view)
    {
        w.WriteString("state"u8, Names<BookTrustState>.Of(view.State));
        var top = view.Top;
        WriteDecimal(w, "best_bid"u8, top.BestBid);
        WriteDecimal(w, "best_ask"u8, top.BestAsk);
        WriteHash(w, "hash"u8, top.Hash);
    }

    private static void WriteDelta(Utf8JsonWriter w, BookDeltaApplied delta)
    {
        w.WriteStartArray("changes"u8);
        foreach (var change in delta.Changes)
        {
            w.WriteStartObject();
            WriteSide(w, change.Side);
            WriteDecimal(w, "price"u8, change.Price);
            WriteDecimal(w, "size"u8, change.Size);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("hash_check"u8, Names<Books.HashOutcome>.Of(delta.Hash.Outcome));
    }

    private static void WriteSide(Utf8JsonWriter w, Side side) => w.WriteString("side"u8, side == Side.Buy ? "BUY"u8 : "SELL"u8);

    /// <summary>Writes an exact decimal as its string, formatted on the stack.</summary>
    public static void WriteDecimal(Utf8JsonWriter w, ReadOnlySpan<byte> name, ExactDecimal value)
    {
        w.WritePropertyName(name);
        WriteDecimalValue(w, value);
    }

    /// <summary>Writes an exact decimal as a string element of an array, formatted on the stack.</summary>
    public static void WriteDecimalValue(Utf8JsonWriter w, ExactDecimal value)
    {
        Span<byte> text = stackalloc byte[ExactDecimal.MaxFormattedLength];
        value.TryFormat(text, out var written);
        w.WriteStringValue(text[..written]);
    }

    /// <summary>Writes an exact decimal as its string, or null; formatted on the stack.</summary>
    public static void WriteDecimal(Utf8JsonWriter w, ReadOnlySpan<byte> name, ExactDecimal? value)
    {
        if (value is { } number)
        {
            WriteDecimal(w, name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Writes a hash as 40 lowercase hex digits, or an empty string when there is none (as <see cref="BookHash.ToString"/>), without making a string.</summary>
    public static void WriteHash(Utf8JsonWriter w, ReadOnlySpan<byte> name, BookHash hash)
    {
        if (!hash.HasValue)
        {
            w.WriteString(name, ReadOnlySpan<byte>.Empty);
            return;
        }

        Span<byte> digest = stackalloc byte[BookHash.ByteLength];
        Span<byte> hex = stackalloc byte[BookHash.HexLength];
        hash.CopyTo(digest);
        Convert.TryToHexStringLower(digest, hex, out _);
        w.WriteString(name, hex);
    }

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

    /// <summary>An enum's member names, encoded once; the enums written here are numbered from 0 without gaps.</summary>
    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly JsonEncodedText[] s_names = [.. Enum.GetValues<TEnum>().Order().Select(value => JsonEncodedText.Encode(value.ToString()))];

        public static JsonEncodedText Of(TEnum value)
        {
            var index = Unsafe.BitCast<TEnum, int>(value);
            return (uint)index < (uint)s_names.Length ? s_names[index] : JsonEncodedText.Encode(value.ToString());
        }
    }
}
