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
                return _marketEvents.TryPass(market.Kind, market.Market) ? new MarketCreated { Market = market, ReceiveTimestamp = receiveTimestamp } : null;
            case MarketResolvedEvent resolution:
                return _marketEvents.TryPass(resolution.Kind, resolution.Market) ? new MarketResolved { Resolution = resolution, ReceiveTimestamp = receiveTimestamp } : null;
            case OrderEvent order when _userChannel:
                return new UserOrderReceived { Order = order, AssetId = order.AssetId, ReceiveTimestamp = receiveTimestamp };
            case TradeEvent trade when _userChannel:
                return new UserTradeReceived { Trade = trade, AssetId = trade.AssetId, ReceiveTimestamp = receiveTimestamp };
            case OrderEvent or TradeEvent:
                refused = true;
                return null;
            default:
                return null;
        }
    }
}
