using System.Collections.Immutable;

namespace PolyStream.Protocol;

internal sealed partial class FrameParser
{
    private BookEvent BuildBook()
    {
        ThrowDeferredError();
        return new BookEvent
        {
            Market = _fields.Market ?? string.Empty,
            AssetId = RequireAssetId("book"),
            Timestamp = _fields.Timestamp,
            Hash = _fields.Hash,
            Bids = _bids.ToImmutableArray(),
            Asks = _asks.ToImmutableArray(),
            TickSize = _fields.TickSize,
            HasLastTradePrice = _fields.HasLastTradePrice,
            LastTradePrice = _fields.LastTradePrice,
            MinOrderSize = _fields.MinOrderSize,
            NegRisk = _fields.NegRisk,
        };
    }

    private PriceChangeEvent BuildPriceChange()
    {
        ThrowDeferredError();
        var market = _fields.Market ?? string.Empty;
        if (_fields.HasPriceChanges)
        {
            return new PriceChangeEvent
            {
                Market = market,
                Timestamp = _fields.Timestamp,
                Changes = _changes.ToImmutableArray(),
                Shape = PriceChangeShape.Current,
            };
        }

        var assetId = RequireAssetId("price_change");
        if (_fields.HasLegacyChanges)
        {
            // The legacy shape carries one asset and one hash for all its changes.
            var changes = ImmutableArray.CreateBuilder<PriceChange>(_changes.Count);
            foreach (var change in _changes.Span)
            {
                changes.Add(change with { AssetId = assetId, Hash = _fields.Hash });
            }

            return new PriceChangeEvent
            {
                Market = market,
                Timestamp = _fields.Timestamp,
                Changes = changes.MoveToImmutable(),
                Shape = PriceChangeShape.Legacy,
            };
        }

        if (_fields.Price is not { } price || _fields.Size is not { } size || _fields.Side is not { } side)
        {
            throw InvalidFrameException.Event("price_change has neither price_changes, changes, nor a flat price, size and side");
        }

        return new PriceChangeEvent
        {
            Market = market,
            Timestamp = _fields.Timestamp,
            Changes = [new PriceChange(assetId, price, size, side, _fields.Hash, _fields.BestBid, _fields.BestAsk)],
            Shape = PriceChangeShape.Flat,
        };
    }

    private LastTradePriceEvent BuildLastTradePrice()
    {
        ThrowDeferredError();
        return new LastTradePriceEvent
        {
            Market = _fields.Market ?? string.Empty,
            AssetId = RequireAssetId("last_trade_price"),
            Price = _fields.Price ?? throw InvalidFrameException.Event("last_trade_price lacks its price"),
            Size = _fields.Size ?? ExactDecimal.Zero,
            Side = _fields.Side ?? Side.Buy,
            FeeRateBps = _fields.FeeRateBps ?? string.Empty,
            TransactionHash = _fields.TransactionHash ?? string.Empty,
            Timestamp = _fields.Timestamp,
        };
    }

    private TickSizeChangeEvent BuildTickSizeChange()
    {
        ThrowDeferredError();
        return new TickSizeChangeEvent
        {
            Market = _fields.Market ?? string.Empty,
            AssetId = RequireAssetId("tick_size_change"),
            OldTickSize = _fields.OldTickSize ?? throw InvalidFrameException.Event("tick_size_change lacks old_tick_size"),
            NewTickSize = _fields.NewTickSize ?? throw InvalidFrameException.Event("tick_size_change lacks new_tick_size"),
            Timestamp = _fields.Timestamp,
        };
    }

    private BestBidAskEvent BuildBestBidAsk()
    {
        ThrowDeferredError();
        return new BestBidAskEvent
        {
            Market = _fields.Market ?? string.Empty,
            AssetId = RequireAssetId("best_bid_ask"),
            BestBid = _fields.BestBid,
            BestAsk = _fields.BestAsk,
            Spread = _fields.Spread,
            Timestamp = _fields.Timestamp,
        };
    }

    private string RequireAssetId(string eventName) =>
        _fields.AssetId ?? throw InvalidFrameException.Event($"{eventName} lacks asset_id");

    private void ThrowDeferredError()
    {
        if (_fields.DeferredError is { } error)
        {
            throw error;
        }
    }
}
