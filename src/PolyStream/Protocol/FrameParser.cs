using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace PolyStream.Protocol;

/// <summary>
/// Parses WebSocket frames from the market and user channels into <see cref="WireEvent"/>s.
/// A frame is one JSON object, a JSON array of objects, or a bare-text reply such as <c>PONG</c>.
/// </summary>
/// <remarks>
/// The hot events (<c>book</c>, <c>price_change</c>, <c>last_trade_price</c>, ...) are read in one
/// <see cref="Utf8JsonReader"/> pass whatever the key order, with ids interned and numbers kept as
/// <see cref="ExactDecimal"/>. A frame is all or nothing: when any part is malformed, no event of
/// it is returned and the reason comes back as a <see cref="FrameParseError"/>; no exception
/// escapes. An instance reuses its buffers, so it is meant for one reader at a time.
/// </remarks>
internal sealed partial class FrameParser
{
    private readonly FrameParserOptions _options;
    private readonly JsonReaderOptions _readerOptions;
    private readonly StringPool _ids;
    private readonly ScratchBuffer<PriceLevel> _bids = new();
    private readonly ScratchBuffer<PriceLevel> _asks = new();
    private readonly ScratchBuffer<PriceChange> _changes = new();
    private MarketFields _fields;
    private WireEventKind? _assumedKind;

    /// <summary>Creates a parser with the given limits, or <see cref="FrameParserOptions.Default"/>.</summary>
    public FrameParser(FrameParserOptions? options = null)
    {
        _options = options ?? FrameParserOptions.Default;
        _readerOptions = new JsonReaderOptions { MaxDepth = _options.MaxDepth };
        _ids = new StringPool(_options.MaxInternedIds);
    }

    /// <summary>Parses one frame into a new list of events, or returns why it was rejected.</summary>
    public FrameParseResult Parse(ReadOnlySpan<byte> frame)
    {
        var events = new List<WireEvent>();
        return TryParse(frame, events, out var error)
            ? new FrameParseResult(events, null)
            : new FrameParseResult([], error);
    }

    /// <summary>
    /// Appends the frame's events to <paramref name="events"/> and returns <see langword="true"/>,
    /// or leaves the list as it was and returns <see langword="false"/> with the reason.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> frame, List<WireEvent> events, [NotNullWhen(false)] out FrameParseError? error)
    {
        ArgumentNullException.ThrowIfNull(events);
        var start = events.Count;
        error = ParseFrame(frame, events);
        if (error is null)
        {
            return true;
        }

        events.RemoveRange(start, events.Count - start);
        return false;
    }

    /// <summary>
    /// Parses a REST order-book summary (<c>/book</c>) or an array of them (<c>/books</c>): the same
    /// fields as a WebSocket <c>book</c>, without <c>event_type</c>.
    /// </summary>
    internal bool TryParseBookSummaries(ReadOnlySpan<byte> json, List<WireEvent> events, [NotNullWhen(false)] out FrameParseError? error)
    {
        _assumedKind = WireEventKind.Book;
        try
        {
            return TryParse(json, events, out error);
        }
        finally
        {
            _assumedKind = null;
        }
    }

    private FrameParseError? ParseFrame(ReadOnlySpan<byte> frame, List<WireEvent> events)
    {
        if (frame.Length > _options.MaxFrameBytes)
        {
            return new FrameParseError(
                FrameErrorKind.LimitExceeded,
                $"frame of {frame.Length} bytes exceeds the limit of {_options.MaxFrameBytes}",
                0);
        }

        var text = frame.Trim(" \t\r\n"u8);
        if (text.IsEmpty)
        {
            return new FrameParseError(FrameErrorKind.Empty, "empty frame", 0);
        }

        if (text[0] is not (byte)'{' and not (byte)'[')
        {
            events.Add(ParseControlReply(text));
            return null;
        }

        var reader = new Utf8JsonReader(frame, _readerOptions);
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ParseObject(ref reader, frame, events);
            }
            else
            {
                ParseArray(ref reader, frame, events);
            }

            // A second top-level value or trailing garbage makes the reader throw here.
            reader.Read();
            return null;
        }
        catch (JsonException ex)
        {
            return new FrameParseError(FrameErrorKind.MalformedJson, ex.Message, reader.BytesConsumed);
        }
        catch (InvalidFrameException ex)
        {
            return new FrameParseError(ex.Kind, ex.Message, reader.BytesConsumed);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader validates structure, not UTF-8 inside strings; decoding such a string throws this.
            return new FrameParseError(FrameErrorKind.InvalidEvent, ex.Message, reader.BytesConsumed);
        }
    }

    private void ParseArray(ref Utf8JsonReader reader, ReadOnlySpan<byte> frame, List<WireEvent> events)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw InvalidFrameException.Event("an element of the frame array is not an object");
            }

            if (++count > _options.MaxEventsPerFrame)
            {
                throw InvalidFrameException.Limit($"frame has more than {_options.MaxEventsPerFrame} events");
            }

            ParseObject(ref reader, frame, events);
        }
    }

    private static ControlReplyEvent ParseControlReply(ReadOnlySpan<byte> text)
    {
        if (text.SequenceEqual("PONG"u8))
        {
            return ControlReplyEvent.Pong;
        }

        if (text.SequenceEqual("INVALID OPERATION"u8))
        {
            return ControlReplyEvent.InvalidOperation;
        }

        return text.SequenceEqual("NO NEW ASSETS"u8)
            ? ControlReplyEvent.NoNewAssets
            : new ControlReplyEvent { Reply = ControlReply.Other, Text = Encoding.UTF8.GetString(text) };
    }

    private void ParseObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> frame, List<WireEvent> events)
    {
        var objectStart = (int)reader.TokenStartIndex;
        _fields = default;
        _bids.Clear();
        _asks.Clear();
        _changes.Clear();
        var eventType = _assumedKind;
        Range eventTypeText = default;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueIsEscaped ? MarketField.Other : MarketFieldNames.Lookup(reader.ValueSpan);
            reader.Read();

            // Rare events are read again from their own bytes; their other fields need no one-pass reading.
            if (field == MarketField.EventType)
            {
                var start = (int)reader.TokenStartIndex + 1;
                eventType = EventTypes.Lookup(ReadPlainString(ref reader, "event_type"));
                eventTypeText = start..(start + reader.ValueSpan.Length);
            }
            else if (EventTypes.IsReadInOnePass(eventType))
            {
                ReadMarketField(ref reader, field);
            }
            else if (eventType is null)
            {
                // The type is not known yet: a field a rare or unknown event uses differently must not
                // fail the frame, so the error is kept and raised only if the event turns out to need it.
                var checkpoint = reader;
                try
                {
                    ReadMarketField(ref reader, field);
                }
                catch (InvalidFrameException ex) when (ex.Kind == FrameErrorKind.InvalidEvent)
                {
                    reader = checkpoint;
                    reader.Skip();
                    _fields.DeferredError ??= ex;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        eventType ??= _fields.UserEventType;

        var objectBytes = frame[objectStart..(int)reader.BytesConsumed];
        events.Add(eventType switch
        {
            WireEventKind.Book => BuildBook(),
            WireEventKind.PriceChange => BuildPriceChange(),
            WireEventKind.LastTradePrice => BuildLastTradePrice(),
            WireEventKind.TickSizeChange => BuildTickSizeChange(),
            WireEventKind.BestBidAsk => BuildBestBidAsk(),
            WireEventKind.NewMarket or WireEventKind.MarketResolved or WireEventKind.Order or WireEventKind.Trade =>
                RareEventReader.Read(eventType.Value, objectBytes),
            _ => new UnknownEvent
            {
                EventType = Encoding.UTF8.GetString(frame[eventTypeText]),
                RawJson = Encoding.UTF8.GetString(objectBytes),
            },
        });
    }
}
