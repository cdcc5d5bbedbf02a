using PolyStream.Cli.Tui;
using PolyStream.Rest;

namespace PolyStream.Tests.Cli;

/// <summary>The universe view's model without a terminal: sorting, search and a selection that follows its market.</summary>
public sealed class UniverseBoardTests
{
    private static readonly GammaMarket s_rain = Market("rain", "Will it rain tomorrow?");
    private static readonly GammaMarket s_btc = Market("btc", "Bitcoin above 100k?");
    private static readonly GammaMarket s_fed = Market("fed", "Fed cuts in March?");

    [Fact]
    public void Update_SecondLook_ActivityIsEventsPerSecondOfBothTokensLargestFirst()
    {
        var board = new UniverseBoard();
        var events = new Dictionary<string, long>();
        board.Update([s_rain, s_btc, s_fed], _ => null, t => events.GetValueOrDefault(t), TimeSpan.FromSeconds(1));

        events["btc-yes"] = 30;
        events["btc-no"] = 10;
        events["fed-no"] = 4;
        board.Update([s_rain, s_btc, s_fed], _ => null, t => events.GetValueOrDefault(t), TimeSpan.FromSeconds(2));

        Assert.Equal(["btc", "fed", "rain"], board.Shown.Select(r => r.Market.Slug));
        Assert.Equal([20.0, 2.0, 0.0], board.Shown.Select(r => r.EventsPerSecond));
    }

    [Fact]
    public void SortBy_Movers_LargestChangeSinceFirstSeenEitherWayFirst()
    {
        var board = new UniverseBoard();
        var mid = new Dictionary<string, decimal> { ["rain-yes"] = 0.50m, ["btc-yes"] = 0.40m, ["fed-yes"] = 0.70m };
        board.Update([s_rain, s_btc, s_fed], t => Quote(mid, t), _ => 0, TimeSpan.FromSeconds(1));
        (mid["rain-yes"], mid["btc-yes"], mid["fed-yes"]) = (0.52m, 0.45m, 0.60m);

        board.Update([s_rain, s_btc, s_fed], t => Quote(mid, t), _ => 0, TimeSpan.FromSeconds(1));
        board.SortBy(UniverseSort.Movers);

        Assert.Equal(["fed", "btc", "rain"], board.Shown.Select(r => r.Market.Slug));
        Assert.Equal([-0.10m, 0.05m, 0.02m], board.Shown.Select(r => r.Change!.Value));
    }

    [Fact]
    public void SortBy_Spread_WidestFirstAndUnquotedLast()
    {
        var board = new UniverseBoard();
        var spreads = new Dictionary<string, decimal> { ["rain-yes"] = 0.01m, ["fed-yes"] = 0.05m };

        board.Update([s_rain, s_btc, s_fed], t => spreads.TryGetValue(t, out var s) ? new TokenQuote(0.5m, s, true) : null, _ => 0, TimeSpan.FromSeconds(1));
        board.SortBy(UniverseSort.Spread);

        Assert.Equal(["fed", "rain", "btc"], board.Shown.Select(r => r.Market.Slug));
    }

    [Fact]
    public void SearchFor_Text_KeepsMarketsWhoseQuestionOrSlugContainsItIgnoringCase()
    {
        var board = new UniverseBoard();
        board.Update([s_rain, s_btc, s_fed], _ => null, _ => 0, TimeSpan.FromSeconds(1));

        board.SearchFor("BITCOIN");
        var byQuestion = board.Shown.Select(r => r.Market.Slug).ToList();
        board.SearchFor("fe");
        var bySlug = board.Shown.Select(r => r.Market.Slug).ToList();
        board.SearchFor("nothing like it");

        Assert.Equal(["btc"], byQuestion);
        Assert.Equal(["fed"], bySlug);
        Assert.Empty(board.Shown);
        Assert.Null(board.Selected);
        Assert.Equal(3, board.Total);
    }

    [Fact]
    public void Move_ThenRowsReorder_SelectionStaysOnItsMarket()
    {
        var board = new UniverseBoard();
        var events = new Dictionary<string, long>();
        board.Update([s_rain, s_btc, s_fed], _ => null, t => events.GetValueOrDefault(t), TimeSpan.FromSeconds(1));
        board.Move(1);
        var selected = board.Selected!.Market.Slug;

        events[$"{selected}-yes"] = 100;
        board.Update([s_rain, s_btc, s_fed], _ => null, t => events.GetValueOrDefault(t), TimeSpan.FromSeconds(1));

        Assert.Equal(selected, board.Selected!.Market.Slug);
        Assert.Equal(0, board.SelectedIndex);
    }

    [Fact]
    public void Update_MarketLeft_ItsRowGoesAndTheSelectionMovesToTheFirstRow()
    {
        var board = new UniverseBoard();
        board.Update([s_rain, s_btc, s_fed], _ => null, _ => 0, TimeSpan.FromSeconds(1));
        board.Move(2);
        var leaving = board.Selected!.Market;

        board.Update([.. new[] { s_rain, s_btc, s_fed }.Where(m => m != leaving)], _ => null, _ => 0, TimeSpan.FromSeconds(1));

        Assert.DoesNotContain(board.Shown, r => r.Market == leaving);
        Assert.Equal(0, board.SelectedIndex);
        Assert.Equal(2, board.Total);
    }

    [Fact]
    public void Update_TokenStates_CountsSyncedTokensPerMarket()
    {
        var board = new UniverseBoard();

        board.Update([s_rain], t => new TokenQuote(null, null, Synced: t.EndsWith("-yes", StringComparison.Ordinal)), _ => 0, TimeSpan.FromSeconds(1));

        Assert.Equal(1, board.Shown.Single().SyncedTokens);
        Assert.Null(board.Shown.Single().Price);
    }

    private static TokenQuote? Quote(Dictionary<string, decimal> mids, string token) =>
        mids.TryGetValue(token, out var mid) ? new TokenQuote(mid, 0.01m, true) : null;

    private static GammaMarket Market(string slug, string question) => new()
    {
        ConditionId = "0x" + slug,
        Slug = slug,
        Question = question,
        ClobTokenIds = [slug + "-yes", slug + "-no"],
        Outcomes = ["Yes", "No"],
    };
}
