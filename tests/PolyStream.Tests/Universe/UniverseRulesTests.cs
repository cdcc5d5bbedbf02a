using PolyStream.Events;
using PolyStream.Universe;
using static PolyStream.Tests.Universe.UniverseMarkets;

namespace PolyStream.Tests.Universe;

public sealed class UniverseRulesTests
{
    [Fact]
    public void IsFollowable_OpenMarketWithABook_IsTrue()
    {
        Assert.True(UniverseRules.IsFollowable(Market(1)));
    }

    [Fact]
    public void IsFollowable_ClosedInactiveOrWithoutBook_IsFalse()
    {
        Assert.False(UniverseRules.IsFollowable(Market(1) with { Closed = true }));
        Assert.False(UniverseRules.IsFollowable(Market(1) with { Active = false }));
        Assert.False(UniverseRules.IsFollowable(Market(1) with { EnableOrderBook = false }));
    }

    [Theory]
    [InlineData("0x12", "11", "12")]
    [InlineData(null, "11\n", "12")]
    [InlineData(null, "", "12")]
    [InlineData(null, "11", "11")]
    [InlineData(null, "0x11", "12")]
    public void IsFollowable_BadIds_IsFalse(string? conditionId, string yes, string no)
    {
        var market = Market(1) with { ClobTokenIds = [yes, no] };

        Assert.False(UniverseRules.IsFollowable(conditionId is null ? market : market with { ConditionId = conditionId }));
    }

    [Fact]
    public void Listed_ValidListing_IsAnActiveMarketWithItsTokensAndTags()
    {
        var listing = new MarketCreated { Market = ConditionId(9), Slug = "btc-updown", AssetIds = ["91", "92"], Outcomes = ["Up", "Down"], Active = false, Tags = ["crypto"] };

        var market = UniverseRules.Listed(listing);

        Assert.NotNull(market);
        Assert.True(market.Active);
        Assert.Equal(["91", "92"], market.ClobTokenIds);
        Assert.Equal(["crypto"], market.Tags);
        Assert.Null(market.Volume);
    }

    [Fact]
    public void Listed_BadTokenId_IsNull()
    {
        Assert.Null(UniverseRules.Listed(new MarketCreated { Market = ConditionId(9), AssetIds = ["91", "../etc"] }));
    }
}
