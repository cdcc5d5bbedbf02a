using System.Globalization;
using System.Text;
using System.Text.Json;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>Every endpoint of the default (varied) simulator tells the same story about each market's metadata.</summary>
public sealed class VariedUniverseTests
{
    private const int MaxPages = 100;

    [Fact]
    public async Task MarketsAndGamma_TwoThousandVariedMarkets_AgreeWithGroundTruth()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 2_000, Seed = 8, MarketLifecycle = false });
        host.Server.Step(5_000);
        var markets = host.Server.Engine.Markets;

        var paged = await MarketsPagedAsync(host);

        Assert.Equal(markets.Count, paged.Count);
        foreach (var market in markets)
        {
            var rest = paged[market.ConditionId];
            Assert.Equal(market.MinOrderSize.ToDecimal(), rest.GetProperty("minimum_order_size").GetDecimal());
            Assert.Equal(market.NegRisk, rest.GetProperty("neg_risk").GetBoolean());
            Assert.Equal(market.NegRiskMarketId, rest.GetProperty("neg_risk_market_id").GetString());
            Assert.Equal(host.Server.GetBook(market.YesTokenId)!.TickSize.ToDecimal(), rest.GetProperty("minimum_tick_size").GetDecimal());
        }

        var events = await GammaEventsAsync(host);
        var gammaMarkets = events.SelectMany(e => e.GetProperty("markets").EnumerateArray()).ToList();
        Assert.Equal(markets.Select(m => m.ConditionId).Order(StringComparer.Ordinal), gammaMarkets.Select(m => m.GetProperty("conditionId").GetString()!).Order(StringComparer.Ordinal));
        foreach (var gammaEvent in events)
        {
            var inside = gammaEvent.GetProperty("markets").EnumerateArray().ToList();
            var negRisk = gammaEvent.GetProperty("negRisk").GetBoolean();
            Assert.All(inside, m =>
            {
                var truth = host.Server.Engine.FindMarket(m.GetProperty("conditionId").GetString()!)!;
                Assert.Equal(truth.EventSlug, gammaEvent.GetProperty("slug").GetString());
                Assert.Equal(negRisk, m.GetProperty("negRisk").GetBoolean());
                Assert.Equal(gammaEvent.GetProperty("negRiskMarketID").GetString(), m.GetProperty("negRiskMarketID").GetString());
                Assert.Equal(truth.MinOrderSize.ToDecimal(), m.GetProperty("orderMinSize").GetDecimal());
                Assert.Equal(paged[truth.ConditionId].GetProperty("minimum_tick_size").GetDecimal(), m.GetProperty("orderPriceMinTickSize").GetDecimal());
            });
            if (negRisk)
            {
                Assert.InRange(inside.Count, 3, 30);
            }
        }

        Assert.True(events.Count(e => e.GetProperty("negRisk").GetBoolean()) >= 20, "too few neg-risk events");
        Assert.True(events.Count(e => e.GetProperty("markets").GetArrayLength() == 1) >= 400, "too few standalone markets");
    }

    [Fact]
    public async Task BooksAndWebSocket_VariedMarkets_SameBooksAndTheWebSocketHashVerifiesWithRestMetadata()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 2_000, Seed = 9, MarketLifecycle = false });
        host.Server.Step(5_000);
        var markets = host.Server.Engine.Markets;
        // Every eighth market's YES token: 250 assets, under the venue's 500 per connection.
        var sample = markets.Where((_, i) => i % 8 == 0).Select(m => m.YesTokenId).ToArray();
        await using var client = await host.ConnectMarketAsync();
        await client.SendAsync(MarketChannelTests.Subscribe(sample));
        var dump = (await client.ReceiveAsync())!;
        var wsBooks = new FrameParser().Parse(Encoding.UTF8.GetBytes(dump)).Events.Cast<BookEvent>().ToDictionary(b => b.AssetId);

        var restBooks = await PostBooksAsync(host, sample);

        Assert.DoesNotContain("min_order_size", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("neg_risk", dump, StringComparison.Ordinal);
        Assert.Equal(sample.Length, restBooks.Count);
        Assert.Equal(3, restBooks.Select(b => b.GetProperty("min_order_size").GetString()).Distinct().Count());
        Assert.Equal(2, restBooks.Select(b => b.GetProperty("neg_risk").GetBoolean()).Distinct().Count());
        Assert.Equal(2, restBooks.Select(b => b.GetProperty("tick_size").GetString()).Distinct().Count());
        foreach (var rest in restBooks)
        {
            var asset = rest.GetProperty("asset_id").GetString()!;
            var market = host.Server.Engine.FindMarketOfToken(asset)!;
            var ws = wsBooks[asset];
            Assert.Equal(ws.Hash.ToString(), rest.GetProperty("hash").GetString());
            Assert.Equal(ws.TickSize.ToString(), rest.GetProperty("tick_size").GetString());
            Assert.Equal(market.MinOrderSize.ToString(), rest.GetProperty("min_order_size").GetString());
            Assert.Equal(market.NegRisk, rest.GetProperty("neg_risk").GetBoolean());

            // The WebSocket hash is the venue's over the market's own values: a client that took them from REST verifies it.
            var replica = new OrderBook(asset)
            {
                MinOrderSize = ExactDecimal.Parse(rest.GetProperty("min_order_size").GetString()!),
                NegRisk = rest.GetProperty("neg_risk").GetBoolean(),
            };
            Assert.Equal(HashOutcome.Matched, replica.ReplaceWithSnapshot(ws).Outcome);
        }

        foreach (var market in markets.Where((_, i) => i % 8 == 0).Take(40))
        {
            Assert.Equal($"{{\"neg_risk\":{(market.NegRisk ? "true" : "false")}}}", await host.Http.GetStringAsync(new Uri($"neg-risk?token_id={market.NoTokenId}", UriKind.Relative), TestContext.Current.CancellationToken));
            var tick = host.Server.GetBook(market.NoTokenId)!.TickSize.ToString();
            Assert.Equal($"{{\"minimum_tick_size\":{tick}}}", await host.Http.GetStringAsync(new Uri($"tick-size?token_id={market.NoTokenId}", UriKind.Relative), TestContext.Current.CancellationToken));
        }
    }

    private static async Task<Dictionary<string, JsonElement>> MarketsPagedAsync(SimHost host)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var cursor = "MA==";
        for (var page = 0; page < MaxPages && cursor != "LTE="; page++)
        {
            using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri($"markets?next_cursor={cursor}", UriKind.Relative), TestContext.Current.CancellationToken));
            foreach (var market in document.RootElement.GetProperty("data").EnumerateArray())
            {
                found[market.GetProperty("condition_id").GetString()!] = market.Clone();
            }

            cursor = document.RootElement.GetProperty("next_cursor").GetString()!;
        }

        Assert.Equal("LTE=", cursor);
        return found;
    }

    private static async Task<List<JsonElement>> GammaEventsAsync(SimHost host)
    {
        var events = new List<JsonElement>();
        for (var page = 0; page < MaxPages; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"gamma/events?limit=100&offset={page * 100}");
            using var document = JsonDocument.Parse(await host.Http.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken));
            if (document.RootElement.GetArrayLength() == 0)
            {
                return events;
            }

            events.AddRange(document.RootElement.EnumerateArray().Select(e => e.Clone()));
        }

        Assert.Fail($"Gamma events did not end within {MaxPages} pages");
        return events;
    }

    private static async Task<List<JsonElement>> PostBooksAsync(SimHost host, string[] tokens)
    {
        var body = "[" + string.Join(',', tokens.Select(t => $"{{\"token_id\":\"{t}\"}}")) + "]";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await host.Http.PostAsync(new Uri("books", UriKind.Relative), content, TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(b => b.Clone())];
    }
}
