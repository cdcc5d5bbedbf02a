using System.Net;
using System.Text;
using System.Text.Json;
using PolyStream.Protocol;
using PolyStream.Simulator;
using PolyStream.Simulator.Wire;

namespace PolyStream.IntegrationTests;

public sealed class RestTests
{
    private static readonly SimulatorOptions s_quiet = new() { Markets = 5, Seed = 3, MarketLifecycle = false };

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(SimHost host, string path)
    {
        using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(SimHost host, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await host.Http.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<SimHost> TradedHostAsync()
    {
        var host = await SimHost.StartAsync(s_quiet);
        host.Server.Step(3000);
        return host;
    }

    [Fact]
    public async Task Book_KnownToken_ByteForByteSummaryWhoseHashVerifies()
    {
        await using var host = await TradedHostAsync();
        var market = host.Server.Engine.Markets[0];
        var token = market.NoTokenId;
        var truth = host.Server.GetBook(token)!;

        var (status, body) = await GetAsync(host, $"book?token_id={token}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Encoding.UTF8.GetString(WireWriter.Write(w => WireWriter.RestBook(w, truth))), body);
        Assert.StartsWith($"{{\"market\":\"{truth.Market}\",\"asset_id\":\"{token}\",\"timestamp\":\"{truth.Timestamp}\",\"hash\":\"{truth.ComputeHash()}\",\"bids\":[", body, StringComparison.Ordinal);
        Assert.EndsWith($"\"min_order_size\":\"{market.MinOrderSize}\",\"tick_size\":\"{truth.TickSize}\",\"neg_risk\":{(market.NegRisk ? "true" : "false")},\"last_trade_price\":\"{truth.LastTradePrice}\"}}", body, StringComparison.Ordinal);
        Assert.Matches("\"last_trade_price\":\"[0-9]\\.[0-9]{3}\"", body);
    }

    [Fact]
    public async Task Book_MissingOrUnknownToken_VenueErrors()
    {
        await using var host = await SimHost.StartAsync(s_quiet);

        Assert.Equal((HttpStatusCode.BadRequest, "{\"error\":\"Invalid token id\"}"), await GetAsync(host, "book"));
        Assert.Equal((HttpStatusCode.NotFound, "{\"error\":\"No orderbook exists for the requested token id\"}"), await GetAsync(host, "book?token_id=42"));
    }

    [Fact]
    public async Task Books_Batch_ArrayOfSummariesForKnownTokens()
    {
        await using var host = await TradedHostAsync();
        var m = host.Server.Engine.Markets;

        var (status, body) = await PostAsync(host, "books", $"[{{\"token_id\":\"{m[0].YesTokenId}\"}},{{\"token_id\":\"42\"}},{{\"token_id\":\"{m[1].NoTokenId}\"}}]");

        Assert.Equal(HttpStatusCode.OK, status);
        var expected = "[" + Encoding.UTF8.GetString(WireWriter.Write(w => WireWriter.RestBook(w, host.Server.GetBook(m[0].YesTokenId)!)))
            + "," + Encoding.UTF8.GetString(WireWriter.Write(w => WireWriter.RestBook(w, host.Server.GetBook(m[1].NoTokenId)!))) + "]";
        Assert.Equal(expected, body);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(host, "books", "{nope")).Status);
    }

    [Fact]
    public async Task PriceMidpointSpread_Token_TopOfBookAsDecimalStrings()
    {
        await using var host = await TradedHostAsync();
        var book = host.Server.GetBooks().First(b => !b.Bids.IsEmpty && !b.Asks.IsEmpty);
        var token = book.AssetId;
        var bid = book.Bids[^1].Price;
        var ask = book.Asks[^1].Price;
        var mid = ExactDecimal.FromDecimal((bid.ToDecimal() + ask.ToDecimal()) / 2).Normalize();
        var spread = ExactDecimal.FromDecimal(ask.ToDecimal() - bid.ToDecimal()).Normalize();

        Assert.Equal($"{{\"price\":\"{bid}\"}}", (await GetAsync(host, $"price?token_id={token}&side=buy")).Body);
        Assert.Equal($"{{\"price\":\"{ask}\"}}", (await GetAsync(host, $"price?token_id={token}&side=SELL")).Body);
        Assert.Equal($"{{\"mid\":\"{mid}\"}}", (await GetAsync(host, $"midpoint?token_id={token}")).Body);
        Assert.Equal($"{{\"spread\":\"{spread}\"}}", (await GetAsync(host, $"spread?token_id={token}")).Body);
        Assert.Equal($"{{\"{token}\":{{\"BUY\":\"{bid}\",\"SELL\":\"{ask}\"}}}}", (await PostAsync(host, "prices", $"[{{\"token_id\":\"{token}\",\"side\":\"BUY\"}},{{\"token_id\":\"{token}\",\"side\":\"SELL\"}}]")).Body);
        Assert.Equal($"{{\"{token}\":\"{mid}\"}}", (await PostAsync(host, "midpoints", $"[{{\"token_id\":\"{token}\"}}]")).Body);
        Assert.Equal($"{{\"{token}\":\"{spread}\"}}", (await PostAsync(host, "spreads", $"[{{\"token_id\":\"{token}\"}}]")).Body);
    }

    [Fact]
    public async Task LastTradePrice_AfterTrades_PriceAndTakerSide()
    {
        await using var host = await TradedHostAsync();
        var token = host.Server.Engine.Markets[0].YesTokenId;
        var price = host.Server.GetBook(token)!.LastTradePrice!.Value.Normalize();

        var single = (await GetAsync(host, $"last-trade-price?token_id={token}")).Body;
        var batch = (await PostAsync(host, "last-trades-prices", $"[{{\"token_id\":\"{token}\"}}]")).Body;

        Assert.Matches($"^\\{{\"price\":\"{price}\",\"side\":\"(BUY|SELL)\"\\}}$", single);
        Assert.Equal($"[{{\"token_id\":\"{token}\",{single[1..]}]", batch);
    }

    [Fact]
    public async Task TickSizeNegRiskTime_Token_NumberBoolAndBareSeconds()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var markets = host.Server.Engine.Markets;
        var token = markets.First(m => host.Server.GetBook(m.YesTokenId)!.TickSize.ToString() == "0.01").YesTokenId;

        Assert.Equal("{\"minimum_tick_size\":0.01}", (await GetAsync(host, $"tick-size?token_id={token}")).Body);
        Assert.Equal("{\"neg_risk\":true}", (await GetAsync(host, $"neg-risk?token_id={markets.First(m => m.NegRisk).NoTokenId}")).Body);
        Assert.Equal("{\"neg_risk\":false}", (await GetAsync(host, $"neg-risk?token_id={markets.First(m => !m.NegRisk).YesTokenId}")).Body);
        var seconds = (await GetAsync(host, "time")).Body;
        Assert.Matches("^[0-9]{10}$", seconds);
        Assert.InRange(long.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture), 1_775_740_020, 1_775_740_030);
    }

    [Fact]
    public async Task Markets_CursorPaging_MaToLteCoversEveryMarketOnce()
    {
        await using var host = await SimHost.StartAsync(s_quiet with { Markets = 250 });
        var cursor = "MA==";
        var seen = new List<string>();
        var cursors = new List<string>();
        for (var page = 0; page < 10 && cursor != "LTE="; page++)
        {
            var (status, body) = await GetAsync(host, $"markets?next_cursor={Uri.EscapeDataString(cursor)}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.StartsWith("{\"limit\":100,\"count\":", body, StringComparison.Ordinal);
            using var document = JsonDocument.Parse(body);
            foreach (var market in document.RootElement.GetProperty("data").EnumerateArray())
            {
                Assert.StartsWith("{\"enable_order_book\":true,\"active\":true,", market.GetRawText(), StringComparison.Ordinal);
                seen.Add(market.GetProperty("condition_id").GetString()!);
            }

            cursor = document.RootElement.GetProperty("next_cursor").GetString()!;
            cursors.Add(cursor);
        }

        Assert.Equal(["MTAw", "MjAw", "LTE="], cursors);
        Assert.Equal(host.Server.Engine.Markets.Select(m => m.ConditionId), seen);
    }

    [Fact]
    public async Task MarketsByConditionAndSimplified_KnownAndUnknown_ObjectsAndNotFound()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var market = host.Server.Engine.Markets[1];

        var (status, body) = await GetAsync(host, $"markets/{market.ConditionId}");
        var simplified = (await GetAsync(host, "simplified-markets")).Body;
        var sampling = (await GetAsync(host, "sampling-markets?next_cursor=MA==")).Body;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"\"condition_id\":\"{market.ConditionId}\"", body, StringComparison.Ordinal);
        Assert.Contains($"\"tokens\":[{{\"token_id\":\"{market.YesTokenId}\",\"outcome\":\"Yes\",\"price\":", body, StringComparison.Ordinal);
        Assert.StartsWith("{\"limit\":100,\"count\":5,\"next_cursor\":\"LTE=\",\"data\":[{\"condition_id\":\"0x", simplified, StringComparison.Ordinal);
        Assert.Contains("\"count\":5", sampling, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(host, "markets/0xdead")).Status);
    }
}
