using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Rest;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>The library's REST clients against the simulator: every market-data call, and discovery through its Gamma.</summary>
public sealed class ClientAgainstSimulatorTests
{
    [Fact]
    public async Task ClobClient_EveryMarketDataCall_AgreesWithGroundTruth()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 3, Seed = 4 });
        host.Server.Step(500);
        var ct = TestContext.Current.CancellationToken;
        var market = host.Server.Engine.Markets[0];
        var truth = host.Server.GetBook(market.YesTokenId)!;
        using var client = new ClobClient(new ClobClientOptions { Host = host.Server.BaseUrl });

        var book = await client.GetBookAsync(market.YesTokenId, ct);
        var local = new OrderBook(book.AssetId);
        Assert.Equal(HashOutcome.Matched, local.ReplaceWithSnapshot(book).Outcome);
        Assert.True(truth.HasSameContent(local.Summary()));

        var books = await client.GetBooksAsync([market.YesTokenId, market.NoTokenId], ct);
        Assert.Equal([market.YesTokenId, market.NoTokenId], books.Select(b => b.AssetId));
        Assert.Equal(truth.Bids[^1].Price, await client.GetPriceAsync(market.YesTokenId, Side.Buy, ct));
        Assert.Equal(truth.Asks[^1].Price, await client.GetPriceAsync(market.YesTokenId, Side.Sell, ct));
        Assert.Equal(truth.Asks[^1].Price, (await client.GetPricesAsync([(market.YesTokenId, Side.Sell)], ct))[market.YesTokenId].Sell);
        var mid = (truth.Bids[^1].Price.ToDecimal() + truth.Asks[^1].Price.ToDecimal()) / 2;
        Assert.Equal(mid, (await client.GetMidpointAsync(market.YesTokenId, ct)).ToDecimal());
        Assert.Equal(mid, (await client.GetMidpointsAsync([market.YesTokenId], ct))[market.YesTokenId].ToDecimal());
        var spread = truth.Asks[^1].Price.ToDecimal() - truth.Bids[^1].Price.ToDecimal();
        Assert.Equal(spread, (await client.GetSpreadAsync(market.YesTokenId, ct)).ToDecimal());
        Assert.Equal(spread, (await client.GetSpreadsAsync([market.YesTokenId], ct))[market.YesTokenId].ToDecimal());
        Assert.Equal(truth.TickSize.ToDecimal(), (await client.GetTickSizeAsync(market.YesTokenId, ct)).ToDecimal());
        Assert.False(await client.GetNegRiskAsync(market.YesTokenId, ct));
        Assert.Equal(truth.LastTradePrice?.ToDecimal(), (await client.GetLastTradePriceAsync(market.YesTokenId, ct)).Price?.ToDecimal());
        Assert.Single(await client.GetLastTradesPricesAsync([market.YesTokenId], ct));
        Assert.InRange(await client.GetServerTimeAsync(ct), 1_600_000_000, 4_000_000_000);
        Assert.True(await client.IsReachableAsync(ct));
        Assert.Equal(market.ConditionId, (await client.GetMarketAsync(market.ConditionId, ct)).ConditionId);
    }

    [Fact]
    public async Task ClobClient_PagedListings_ReachTheEndCursorWithEveryMarket()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 7, MarketsPageLimit = 3 });
        var ct = TestContext.Current.CancellationToken;
        using var client = new ClobClient(new ClobClientOptions { Host = host.Server.BaseUrl });

        var markets = await client.GetMarketsAsync(ct).ToListAsync(ct);
        var simplified = await client.GetSimplifiedMarketsAsync(ct).ToListAsync(ct);

        Assert.Equal(host.Server.Engine.Markets.Select(m => m.ConditionId), markets.Select(m => m.ConditionId));
        Assert.Equal(markets.Count, simplified.Count);
        Assert.All(markets, m => Assert.Equal(2, m.Tokens.Length));
    }

    [Fact]
    public async Task GammaClient_SlugSearchAndEvent_FindTheSimulatorsTokenIds()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 5 });
        var ct = TestContext.Current.CancellationToken;
        var market = host.Server.Engine.Markets[2];
        using var gamma = new GammaClient(new GammaClientOptions { Host = host.Server.GammaUrl, PageSize = 2 });

        var bySlug = await gamma.GetMarketBySlugAsync(market.Slug, ct);
        var found = await gamma.SearchMarketsAsync(market.Question[..Math.Min(20, market.Question.Length)], cancellationToken: ct);
        var byEvent = await gamma.GetEventBySlugAsync("event-" + market.Slug, ct);

        Assert.Equal([market.YesTokenId, market.NoTokenId], bySlug.ClobTokenIds);
        Assert.Equal(market.ConditionId, bySlug.ConditionId);
        Assert.Contains(found, m => m.ConditionId == market.ConditionId);
        Assert.Equal(market.ConditionId, Assert.Single(byEvent.Markets).ConditionId);
        var missing = await Assert.ThrowsAsync<ClobApiException>(() => gamma.GetMarketBySlugAsync("no-such-market", ct));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
