using System.Buffers.Text;
using System.Text.Json;

namespace PolyStream.Protocol;

internal sealed partial class FrameParser
{
    private void ReadMarketField(ref Utf8JsonReader reader, MarketField field)
    {
        switch (field)
        {
            case MarketField.Market:
                _fields.Market = _ids.Intern(ReadPlainString(ref reader, "market"));
                break;
            case MarketField.AssetId:
                _fields.AssetId = _ids.Intern(ReadPlainString(ref reader, "asset_id"));
                break;
            case MarketField.Timestamp:
                _fields.Timestamp = ReadTimestamp(ref reader, "timestamp");
                break;
            case MarketField.Hash:
                _fields.Hash = ReadHash(ref reader);
                break;
            case MarketField.Bids:
                ReadLevels(ref reader, _bids, "bids");
                break;
            case MarketField.Asks:
                ReadLevels(ref reader, _asks, "asks");
                break;
            case MarketField.PriceChanges:
                ReadChanges(ref reader, "price_changes", entriesNameTheirAsset: true);
                _fields.HasPriceChanges = true;
                break;
            case MarketField.Changes:
                ReadChanges(ref reader, "changes", entriesNameTheirAsset: false);
                _fields.HasLegacyChanges = true;
                break;
            case MarketField.TickSize:
                _fields.TickSize = ReadOptionalDecimal(ref reader, "tick_size");
                break;
            case MarketField.LastTradePrice:
                _fields.LastTradePrice = ReadOptionalPrice(ref reader, "last_trade_price");
                _fields.HasLastTradePrice = true;
                break;
            case MarketField.MinOrderSize:
                _fields.MinOrderSize = ReadOptionalDecimal(ref reader, "min_order_size");
                break;
            case MarketField.NegRisk:
                _fields.NegRisk = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw InvalidFrameException.Event("neg_risk must be true or false"),
                };
                break;
            case MarketField.Price:
                _fields.Price = ReadOptionalPrice(ref reader, "price");
                break;
            case MarketField.Size:
                _fields.Size = ReadOptionalDecimal(ref reader, "size");
                break;
            case MarketField.Side:
                _fields.Side = ReadSide(ref reader);
                break;
            case MarketField.BestBid:
                _fields.BestBid = ReadOptionalPrice(ref reader, "best_bid");
                break;
            case MarketField.BestAsk:
                _fields.BestAsk = ReadOptionalPrice(ref reader, "best_ask");
                break;
            case MarketField.Spread:
                _fields.Spread = ReadOptionalPrice(ref reader, "spread");
                break;
            case MarketField.OldTickSize:
                _fields.OldTickSize = ReadOptionalDecimal(ref reader, "old_tick_size");
                break;
            case MarketField.NewTickSize:
                _fields.NewTickSize = ReadOptionalDecimal(ref reader, "new_tick_size");
                break;
            case MarketField.FeeRateBps:
                _fields.FeeRateBps = ReadText(ref reader);
                break;
            case MarketField.TransactionHash:
                _fields.TransactionHash = ReadText(ref reader);
                break;
            case MarketField.Type:
                _fields.UserEventType = reader.TokenType == JsonTokenType.String ? EventTypes.FromUserType(reader.ValueSpan) : null;
                break;
            default:
                reader.Skip();
                break;
        }
    }

    private void ReadLevels(ref Utf8JsonReader reader, ScratchBuffer<PriceLevel> levels, string name)
    {
        levels.Clear();
        if (reader.TokenType == JsonTokenType.Null)
        {
            // Never observed, but Polymarket's Rust client accepts a null side; it means an empty side.
            return;
        }

        ExpectToken(ref reader, JsonTokenType.StartArray, name);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ExpectToken(ref reader, JsonTokenType.StartObject, name);
            ExactDecimal? price = null;
            ExactDecimal? size = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueIsEscaped ? MarketField.Other : MarketFieldNames.Lookup(reader.ValueSpan);
                reader.Read();
                switch (field)
                {
                    case MarketField.Price:
                        price = ReadPrice(ref reader, "level price");
                        break;
                    case MarketField.Size:
                        size = ReadDecimal(ref reader, "level size");
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (price is null || size is null)
            {
                throw InvalidFrameException.Event($"a level in {name} lacks its price or size");
            }

            if (levels.Count == _options.MaxLevelsPerSide)
            {
                throw InvalidFrameException.Limit($"{name} has more than {_options.MaxLevelsPerSide} levels");
            }

            levels.Add(new PriceLevel(price.Value, size.Value));
        }
    }

    /// <summary>
    /// Reads <c>price_changes</c> (current shape) or <c>changes</c> (legacy shape, whose entries lack
    /// the asset and hash: the event builder fills them in from the top level).
    /// </summary>
    private void ReadChanges(ref Utf8JsonReader reader, string name, bool entriesNameTheirAsset)
    {
        ExpectToken(ref reader, JsonTokenType.StartArray, name);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ExpectToken(ref reader, JsonTokenType.StartObject, name);
            string? assetId = null;
            ExactDecimal? price = null;
            ExactDecimal? size = null;
            Side? side = null;
            BookHash hash = default;
            ExactDecimal? bestBid = null;
            ExactDecimal? bestAsk = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueIsEscaped ? MarketField.Other : MarketFieldNames.Lookup(reader.ValueSpan);
                reader.Read();
                switch (field)
                {
                    case MarketField.AssetId:
                        assetId = _ids.Intern(ReadPlainString(ref reader, "asset_id"));
                        break;
                    case MarketField.Price:
                        price = ReadPrice(ref reader, "price");
                        break;
                    case MarketField.Size:
                        size = ReadDecimal(ref reader, "size");
                        break;
                    case MarketField.Side:
                        side = ReadSide(ref reader);
                        break;
                    case MarketField.Hash:
                        hash = ReadHash(ref reader);
                        break;
                    case MarketField.BestBid:
                        bestBid = ReadOptionalPrice(ref reader, "best_bid");
                        break;
                    case MarketField.BestAsk:
                        bestAsk = ReadOptionalPrice(ref reader, "best_ask");
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if ((entriesNameTheirAsset && assetId is null) || price is null || size is null || side is null)
            {
                throw InvalidFrameException.Event($"an entry of {name} lacks {(entriesNameTheirAsset ? "asset_id, " : string.Empty)}price, size or side");
            }

            AddChange(new PriceChange(assetId ?? string.Empty, price.Value, size.Value, side.Value, hash, bestBid, bestAsk));
        }
    }

    private void AddChange(PriceChange change)
    {
        if (_changes.Count == _options.MaxLevelsPerSide * 2)
        {
            throw InvalidFrameException.Limit($"price_change has more than {_options.MaxLevelsPerSide * 2} entries");
        }

        _changes.Add(change);
    }

    private static ReadOnlySpan<byte> ReadPlainString(ref Utf8JsonReader reader, string name)
    {
        // Ids, decimals and hashes never need escapes; an escaped one is not the venue's.
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            throw InvalidFrameException.Event($"{name} must be a plain JSON string");
        }

        return reader.ValueSpan;
    }

    private static string ReadText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString() ?? string.Empty,
        JsonTokenType.Null => string.Empty,
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw InvalidFrameException.Event("expected a string"),
    };

    private static ExactDecimal ReadDecimal(ref Utf8JsonReader reader, string name) =>
        ReadOptionalDecimal(ref reader, name) ?? throw InvalidFrameException.Event($"{name} must not be empty");

    private static ExactDecimal ReadPrice(ref Utf8JsonReader reader, string name) =>
        ReadOptionalPrice(ref reader, name) ?? throw InvalidFrameException.Event($"{name} must not be empty");

    /// <summary>Reads a decimal sent as a string (the venue's form) or a number; <c>""</c> and null are absent.</summary>
    private static ExactDecimal? ReadOptionalDecimal(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.TokenType == JsonTokenType.Number ? reader.ValueSpan : ReadPlainString(ref reader, name);
        if (text.IsEmpty)
        {
            return null;
        }

        return ExactDecimal.TryParse(text, out var value)
            ? value
            : throw InvalidFrameException.Event($"{name} is not a plain non-negative decimal of at most {ExactDecimal.MaxDigits} digits");
    }

    /// <summary>Reads a decimal that must be a probability price in [0, 1] with at most 9 decimals.</summary>
    private static ExactDecimal? ReadOptionalPrice(ref Utf8JsonReader reader, string name)
    {
        var value = ReadOptionalDecimal(ref reader, name);
        return value is { } price && price.ToPriceKey() < 0
            ? throw InvalidFrameException.Event($"{name} {price} is outside [0, 1] or has more than 9 decimals")
            : value;
    }

    /// <summary>Reads Unix milliseconds sent as a digit string (the venue's form) or a number (some recorders).</summary>
    private static long? ReadTimestamp(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.TokenType == JsonTokenType.Number ? reader.ValueSpan : ReadPlainString(ref reader, name);
        if (text.IsEmpty)
        {
            return null;
        }

        return Utf8Parser.TryParse(text, out long value, out var consumed) && consumed == text.Length && (uint)(text[0] - '0') <= 9
            ? value
            : throw InvalidFrameException.Event($"{name} is not a non-negative integer");
    }

    private static BookHash ReadHash(ref Utf8JsonReader reader)
    {
        var text = ReadPlainString(ref reader, "hash");
        if (text.IsEmpty)
        {
            return default;
        }

        return BookHash.TryParse(text, out var hash)
            ? hash
            : throw InvalidFrameException.Event("hash is not 40 hex digits");
    }

    private static Side ReadSide(ref Utf8JsonReader reader)
    {
        var text = ReadPlainString(ref reader, "side");
        if (text.SequenceEqual("BUY"u8) || System.Text.Ascii.EqualsIgnoreCase(text, "buy"u8))
        {
            return Side.Buy;
        }

        return text.SequenceEqual("SELL"u8) || System.Text.Ascii.EqualsIgnoreCase(text, "sell"u8)
            ? Side.Sell
            : throw InvalidFrameException.Event("side must be BUY or SELL");
    }

    private static void ExpectToken(ref Utf8JsonReader reader, JsonTokenType expected, string name)
    {
        if (reader.TokenType != expected)
        {
            throw InvalidFrameException.Event($"{name} has a {reader.TokenType} where a {expected} belongs");
        }
    }

    /// <summary>The fields of one market-channel object, collected in any key order and turned into an event at its end.</summary>
    private struct MarketFields
    {
        public string? Market;
        public string? AssetId;
        public long? Timestamp;
        public BookHash Hash;
        public ExactDecimal? TickSize;
        public ExactDecimal? LastTradePrice;
        public bool HasLastTradePrice;
        public ExactDecimal? MinOrderSize;
        public bool? NegRisk;
        public bool HasPriceChanges;
        public bool HasLegacyChanges;
        public ExactDecimal? Price;
        public ExactDecimal? Size;
        public Side? Side;
        public ExactDecimal? BestBid;
        public ExactDecimal? BestAsk;
        public ExactDecimal? Spread;
        public ExactDecimal? OldTickSize;
        public ExactDecimal? NewTickSize;
        public string? FeeRateBps;
        public string? TransactionHash;
        public WireEventKind? UserEventType;
        public InvalidFrameException? DeferredError;
    }
}
