using System.Globalization;
using PolyStream.Rest;

namespace PolyStream.Tests.Rest;

public sealed class GammaClientTests
{
    private static GammaClient Client(FakeVenue venue, int pageSize = 500) => new(
        new GammaClientOptions { Host = new Uri("http://127.0.0.1:9/"), PageSize = pageSize, Transport = new ClobClientOptions { RetryBaseDelay = TimeSpan.Zero } },
        new HttpClient(venue));

    [Fact]
    public async Task GetMarketBySlugAsync_RealSample_ParsesTokenIdsFromTheirJsonString()
    {
        var sample = File.ReadAllText(Fixture.PathOf("vectors/samples/nautilus_gamma_market.json"));
        using var venue = new FakeVenue(_ => FakeVenue.Json(sample));
        using var client = Client(venue);

        var market = await client.GetMarketBySlugAsync("btc-updown-5m-1773307200", TestContext.Current.CancellationToken);

        Assert.Equal("/markets/slug/btc-updown-5m-1773307200", venue.Requests[0].Path);
        Assert.Equal("0x78443f961b9a65869dcb39359de9960165c7e5cbad0904eac7f29cd77872a63b", market.ConditionId);
        Assert.Equal(["Up", "Down"], market.Outcomes);
        Assert.Equal(2, market.ClobTokenIds.Length);
        Assert.All(market.ClobTokenIds, id => Assert.True(id.Length > 70 && id.All(char.IsAsciiDigit)));
        Assert.Equal((9.999997m, 20328.3747m), (market.Volume, market.Liquidity));
    }

    [Fact]
    public async Task GetListedMarketsAsync_TagObjectsAndStrings_KeptBySlugOrLabel()
    {
        const string Page = """[{"id":"1","conditionId":"0x1","volumeNum":12.5,"tags":[{"id":"2","label":"US Election","slug":"us-election"},{"id":"3","label":"Politics"},"crypto",{"id":"4"},7]}]""";
        using var venue = new FakeVenue(_ => FakeVenue.Json(Page));
        using var client = Client(venue);

        var markets = await client.GetListedMarketsAsync(500, 250, TestContext.Current.CancellationToken);

        Assert.Contains("offset=500", venue.Requests[0].Query, StringComparison.Ordinal);
        Assert.Contains("limit=250", venue.Requests[0].Query, StringComparison.Ordinal);
        Assert.Contains("include_tag=true", venue.Requests[0].Query, StringComparison.Ordinal);
        var market = Assert.Single(markets);
        Assert.Equal(["us-election", "Politics", "crypto"], market.Tags);
        Assert.Equal(12.5m, market.Volume);
        Assert.Null(market.Liquidity);
    }

    [Fact]
    public async Task GetListedMarketsAsync_AClobsMarketsPage_AsksWhetherTheHostIsAGammaApi()
    {
        // What a CLOB host answers to GET /markets: a cursor page, not Gamma's array of markets.
        using var venue = new FakeVenue(_ => FakeVenue.Json("""{"limit":100,"count":0,"next_cursor":"LTE=","data":[]}"""));
        using var client = Client(venue);

        var error = await Assert.ThrowsAsync<ClobApiException>(() => client.GetListedMarketsAsync(0, 500, TestContext.Current.CancellationToken));

        Assert.StartsWith("GET /markets: 200 unexpected body (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; is http://127.0.0.1:9/ a Gamma API?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchMarketsAsync_PagesUntilAShortPageAndReportsProgress()
    {
        static string Page(int offset, int count) => "[" + string.Join(",", Enumerable.Range(offset, count).Select(i =>
            $$"""{"id":"{{i}}","question":"{{(i % 3 == 0 ? "Will BTC rise" : "Other")}} #{{i}}","conditionId":"0x{{i}}","slug":"m-{{i}}","clobTokenIds":"[\"{{i}}1\", \"{{i}}2\"]","outcomes":"[\"Yes\", \"No\"]","orderMinSize":5,"orderPriceMinTickSize":0.01}""")) + "]";
        using var venue = new FakeVenue(r =>
        {
            var offset = int.Parse(r.Query.Split("offset=")[1], CultureInfo.InvariantCulture);
            return FakeVenue.Json(offset == 0 ? Page(0, 4) : Page(4, 2));
        });
        using var client = Client(venue, pageSize: 4);
        var pages = new List<int>();

        var found = await client.SearchMarketsAsync("btc", new SyncProgress(pages), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["0", "3"], found.Select(m => m.Id));
        Assert.Equal([1, 2], pages);
        Assert.Equal("5", found[0].OrderMinSize.ToString());
        Assert.Contains("active=true&closed=false&limit=4&offset=0", venue.Requests[0].Query, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) => values.Add(value);
    }
}
