using PolyStream.Universe;
using static PolyStream.Tests.Universe.UniverseMarkets;

namespace PolyStream.Tests.Universe;

public sealed class UniverseFilterTests
{
    [Fact]
    public void Matches_All_TakesAnyMarket()
    {
        Assert.True(UniverseFilter.All.Matches(Market(1)));
    }

    [Theory]
    [InlineData("EVENT-7", true)]
    [InlineData("event 7 happen", true)]
    [InlineData("event-8", false)]
    public void Matches_Text_LooksInSlugAndQuestionIgnoringCase(string text, bool expected)
    {
        Assert.Equal(expected, new UniverseFilter { Text = text }.Matches(Market(7)));
    }

    [Theory]
    [InlineData("us-election", true)]
    [InlineData("US Election", true)]
    [InlineData("crypto", false)]
    public void Matches_Tag_BySlugOrLabel(string tag, bool expected)
    {
        Assert.Equal(expected, new UniverseFilter { Tag = tag }.Matches(Market(1, tags: ["us-election"])));
    }

    [Fact]
    public void Matches_NegRisk_KeepsOnlyThatKind()
    {
        var filter = new UniverseFilter { NegRisk = false };

        Assert.True(filter.Matches(Market(1, negRisk: false)));
        Assert.False(filter.Matches(Market(2, negRisk: true)));
    }

    [Fact]
    public void Matches_MinVolumeAndLiquidity_MarketWithoutThemFails()
    {
        var filter = new UniverseFilter { MinVolume = 1_000m, MinLiquidity = 50m };

        Assert.True(filter.Matches(Market(1, volume: 1_000m, liquidity: 50m)));
        Assert.False(filter.Matches(Market(2, volume: 999m, liquidity: 50m)));
        Assert.False(filter.Matches(Market(3, volume: 5_000m, liquidity: 49m)));
        Assert.False(filter.Matches(Market(4)));
    }

    [Fact]
    public void NeedsGamma_OnlyForTheNegRiskCriterion()
    {
        Assert.True(new UniverseFilter { NegRisk = true }.NeedsGamma);
        Assert.False(new UniverseFilter { Text = "x", Tag = "y", MinVolume = 1m }.NeedsGamma);
    }
}
