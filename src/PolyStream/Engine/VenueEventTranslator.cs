using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>
/// Turns the venue's events that are not about one book into stream events: market listings and
/// resolutions (once across every connection that carries them) and, on the user channel only, the
/// user's orders and trades.
/// </summary>
/// <remarks>
/// The market channel is not authenticated, so an <c>order</c> or <c>trade</c> arriving there cannot be
/// the user's: a translator for that channel refuses them instead of presenting them as user events.
/// </remarks>
internal sealed class VenueEventTranslator
{
    private readonly MarketEventGate _marketEvents;
    private readonly bool _userChannel;

    /// <summary>Creates a translator for one channel.</summary>
    /// <param name="marketEvents">Passes one copy of each listing or resolution; every connection of a streamer shares one.</param>
    /// <param name="userChannel">Whether the frames come from the authenticated user channel (user events accepted).</param>
    public VenueEventTranslator(MarketEventGate marketEvents, bool userChannel)
    {
        _marketEvents = marketEvents;
        _userChannel = userChannel;
    }

    /// <summary>
    /// The stream event for <paramref name="wireEvent"/>, or <see langword="null"/> when it is not this
    /// translator's kind, was already passed on by another connection, or is refused on this channel
    /// (<paramref name="refused"/> then says so).
    /// </summary>
    public StreamEvent? Translate(WireEvent wireEvent, long receiveTimestamp, out bool refused)
    {
        refused = false;
        switch (wireEvent)
        {
            case NewMarketEvent market:
                return _marketEvents.TryPass(market.Kind, market.Market) ? Created(market, receiveTimestamp) : null;
            case MarketResolvedEvent resolution:
                return _marketEvents.TryPass(resolution.Kind, resolution.Market) ? Resolved(resolution, receiveTimestamp) : null;
            case OrderEvent order when _userChannel:
                return UserOrder(order, receiveTimestamp);
            case TradeEvent trade when _userChannel:
                return UserTrade(trade, receiveTimestamp);
            case OrderEvent or TradeEvent:
                refused = true;
                return null;
            default:
                return null;
        }
    }

    // The events copy the wire fields rather than hold the parser's records, which are not part of the consumer contract.
    private static MarketCreated Created(NewMarketEvent market, long receiveTimestamp) => new()
    {
        ReceiveTimestamp = receiveTimestamp,
        Id = market.Id,
        Market = market.Market,
        Question = market.Question,
        Slug = market.Slug,
        AssetIds = market.AssetIds,
        Outcomes = market.Outcomes,
        TickSize = market.TickSize,
        Active = market.Active,
        Tags = market.Tags,
        Timestamp = market.Timestamp,
    };

    private static MarketResolved Resolved(MarketResolvedEvent resolution, long receiveTimestamp) => new()
    {
        ReceiveTimestamp = receiveTimestamp,
        Id = resolution.Id,
        Market = resolution.Market,
        AssetIds = resolution.AssetIds,
        WinningAssetId = resolution.WinningAssetId,
        WinningOutcome = resolution.WinningOutcome,
        Tags = resolution.Tags,
        Timestamp = resolution.Timestamp,
    };

    private static UserOrderReceived UserOrder(OrderEvent order, long receiveTimestamp) => new()
    {
        AssetId = order.AssetId,
        ReceiveTimestamp = receiveTimestamp,
        Id = order.Id,
        Market = order.Market,
        Type = order.Type,
        Status = order.Status,
        Side = order.Side,
        Price = order.Price,
        OriginalSize = order.OriginalSize,
        SizeMatched = order.SizeMatched,
        Owner = order.Owner,
        OrderOwner = order.OrderOwner,
        Outcome = order.Outcome,
        OrderType = order.OrderType,
        MakerAddress = order.MakerAddress,
        AssociateTrades = order.AssociateTrades,
        CreatedAt = order.CreatedAt,
        Expiration = order.Expiration,
        Timestamp = order.Timestamp,
    };

    private static UserTradeReceived UserTrade(TradeEvent trade, long receiveTimestamp) => new()
    {
        AssetId = trade.AssetId,
        ReceiveTimestamp = receiveTimestamp,
        Id = trade.Id,
        Market = trade.Market,
        Status = trade.Status,
        Side = trade.Side,
        Price = trade.Price,
        Size = trade.Size,
        TakerOrderId = trade.TakerOrderId,
        MakerOrders = trade.MakerOrders,
        TraderSide = trade.TraderSide,
        Outcome = trade.Outcome,
        Owner = trade.Owner,
        TradeOwner = trade.TradeOwner,
        MakerAddress = trade.MakerAddress,
        FeeRateBps = trade.FeeRateBps,
        TransactionHash = trade.TransactionHash,
        BucketIndex = trade.BucketIndex,
        MatchTime = trade.MatchTime,
        LastUpdate = trade.LastUpdate,
        Timestamp = trade.Timestamp,
    };
}
