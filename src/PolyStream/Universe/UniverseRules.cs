using System.Collections.Immutable;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Rest;

namespace PolyStream.Universe;

/// <summary>Which markets universe mode may follow at all, and how a listing becomes a market: ids from the venue are checked first.</summary>
internal static class UniverseRules
{
    /// <summary>
    /// Whether a market can be followed: active, not closed, with an order book, a valid condition id and at
    /// least one token, every token id valid and none twice.
    /// </summary>
    public static bool IsFollowable(GammaMarket market) =>
        market.Active && !market.Closed && market.EnableOrderBook
        && MarketIds.IsConditionId(market.ConditionId)
        && !market.ClobTokenIds.IsDefaultOrEmpty
        && market.ClobTokenIds.All(MarketIds.IsTokenId)
        && market.ClobTokenIds.Distinct(StringComparer.Ordinal).Count() == market.ClobTokenIds.Length;

    /// <summary>
    /// The market a <c>new_market</c> event announces, in Gamma's terms, or <see langword="null"/> when its ids are not
    /// valid. The venue sends <c>active:false</c> at listing (its book opens moments later), so a listed market counts
    /// as active; it has no volume, liquidity or neg-risk flag yet.
    /// </summary>
    public static GammaMarket? Listed(MarketCreated listing)
    {
        var market = new GammaMarket
        {
            Id = listing.Id,
            Question = listing.Question,
            ConditionId = listing.Market,
            Slug = listing.Slug,
            ClobTokenIds = listing.AssetIds,
            Outcomes = listing.Outcomes,
            Active = true,
            EnableOrderBook = true,
            TickSize = listing.TickSize,
            Tags = listing.Tags.IsDefault ? ImmutableArray<string>.Empty : listing.Tags,
        };
        return IsFollowable(market) ? market : null;
    }
}
