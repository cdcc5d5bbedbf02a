using System.Net.WebSockets;
using System.Text;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;
using PolyStream.Simulator.Wire;

namespace PolyStream.IntegrationTests;

public sealed class MarketChannelTests
{
    private static readonly SimulatorOptions s_quiet = new() { Markets = 5, Seed = 3, MarketLifecycle = false };

    internal static string Subscribe(params string[] assets) =>
        "{\"assets_ids\":[" + string.Join(',', assets.Select(a => $"\"{a}\"")) + "],\"type\":\"market\",\"initial_dump\":true,\"level\":2}";

    internal static string ExpectedDump(SimulatorServer server, params string[] assets) =>
        Encoding.UTF8.GetString(WireWriter.Write(w =>
        {
            w.WriteStartArray();
            foreach (var asset in assets)
            {
                if (server.GetBook(asset) is { } book)
                {
                    WireWriter.WsBook(w, book);
                }
            }

            w.WriteEndArray();
        }));

    /// <summary>
    /// A client's book for a token that knows the market's <c>min_order_size</c> and <c>neg_risk</c>, as one
    /// that read REST does: WebSocket books do not carry them, yet the venue hashes them.
    /// </summary>
    internal static OrderBook Replica(SimulatorServer server, string assetId)
    {
        var market = server.Engine.FindMarketOfToken(assetId)!;
        return new OrderBook(assetId) { MinOrderSize = market.MinOrderSize, NegRisk = market.NegRisk };
    }

    /// <summary>The frames a market-channel socket subscribed to <paramref name="assets"/> must receive, in order.</summary>
    internal static List<string> ExpectedFor(IEnumerable<SimFrame> frames, ISet<string> assets, bool custom = false) =>
        [.. frames.Where(f => !f.IsUserEvent && (custom || !f.IsCustomFeature) && (f.Kind == WireEventKind.NewMarket || f.AssetIds.Any(assets.Contains))).Select(f => f.Text)];

    [Fact]
    public async Task Subscribe_InitialForm_SendsOneArrayOfBooksByteForByte()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var market = host.Server.Engine.Markets[0];
        await using var client = await host.ConnectMarketAsync();

        await client.SendAsync(Subscribe(market.YesTokenId, market.NoTokenId, "123"));
        var dump = await client.ReceiveAsync();

        Assert.Equal(ExpectedDump(host.Server, market.YesTokenId, market.NoTokenId), dump);
        var events = new FrameParser().Parse(Encoding.UTF8.GetBytes(dump!)).Events;
        Assert.Equal(2, events.Count);
        foreach (var book in events.Cast<BookEvent>())
        {
            Assert.Equal(HashOutcome.Matched, Replica(host.Server, book.AssetId).ReplaceWithSnapshot(book).Outcome);
        }
    }

    [Fact]
    public async Task Subscribe_UnknownTokenOnly_SendsEmptyArray()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        await using var client = await host.ConnectMarketAsync();

        await client.SendAsync(Subscribe("999"));

        Assert.Equal("[]", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Ping_BeforeSubscribe_ClosesWith1008InvalidSubscriptionPayload()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        await using var client = await host.ConnectMarketAsync();

        await client.SendAsync("PING");

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.Socket.CloseStatus);
        Assert.Equal("invalid subscription payload", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Ping_AfterSubscribe_RepliesPong()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        await using var client = await host.ConnectMarketAsync();
        await client.SendAsync(Subscribe("999"));
        Assert.Equal("[]", await client.ReceiveAsync());

        await client.SendAsync("PING");

        Assert.Equal("PONG", await client.ReceiveAsync());
    }

    [Fact]
    public async Task Subscribe_SecondInitialForm_RepliesInvalidOperation()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var market = host.Server.Engine.Markets[0];
        await using var client = await host.ConnectMarketAsync();
        await client.SendAsync(Subscribe(market.YesTokenId));
        await client.ReceiveAsync();

        await client.SendAsync(Subscribe(market.NoTokenId));

        Assert.Equal("INVALID OPERATION", await client.ReceiveAsync());
        Assert.Empty(await client.DrainUntilPongAsync());
    }

    [Fact]
    public async Task Subscribe_OperationFormFirstAndLater_AcceptedSilentlyWithDump()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var markets = host.Server.Engine.Markets;
        await using var client = await host.ConnectMarketAsync();

        await client.SendAsync($"{{\"type\":\"market\",\"operation\":\"subscribe\",\"markets\":[],\"assets_ids\":[\"{markets[0].YesTokenId}\"],\"initial_dump\":true}}");
        Assert.Equal(ExpectedDump(host.Server, markets[0].YesTokenId), await client.ReceiveAsync());
        await client.SendAsync($"{{\"operation\":\"subscribe\",\"assets_ids\":[\"{markets[1].YesTokenId}\"]}}");
        Assert.Equal(ExpectedDump(host.Server, markets[1].YesTokenId), await client.ReceiveAsync());
        await client.SendAsync($"{{\"operation\":\"unsubscribe\",\"assets_ids\":[\"{markets[0].YesTokenId}\"]}}");

        Assert.Empty(await client.DrainUntilPongAsync());
        var frames = host.Server.Step(500);
        var received = await client.DrainUntilPongAsync();
        Assert.Equal(ExpectedFor(frames, new HashSet<string> { markets[1].YesTokenId }), received);
    }

    [Fact]
    public async Task Subscribe_InitialDumpFalse_NoSnapshotButDeltasFlow()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var assets = host.Server.Engine.Markets.Select(m => m.YesTokenId).ToArray();
        await using var client = await host.ConnectMarketAsync();

        await client.SendAsync(Subscribe(assets).Replace("\"initial_dump\":true", "\"initial_dump\":false", StringComparison.Ordinal));
        Assert.Empty(await client.DrainUntilPongAsync());
        var frames = host.Server.Step(300);

        Assert.Equal(ExpectedFor(frames, assets.ToHashSet()), await client.DrainUntilPongAsync());
    }

    [Fact]
    public async Task BaseUrl_NotStarted_Throws()
    {
        await using var server = new SimulatorServer();

        Assert.Throws<InvalidOperationException>(() => server.BaseUrl);
    }

    [Fact]
    public async Task Step_SubscribedToOneToken_FramesByteForByteWithComplementLeakageAndHashesVerify()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var markets = host.Server.Engine.Markets;
        var assets = markets.Select(m => m.YesTokenId).ToArray();
        await using var client = await host.ConnectMarketAsync();
        await client.SendAsync(Subscribe(assets));
        var dump = await client.ReceiveAsync();

        var frames = host.Server.Step(3000);
        var received = await client.DrainUntilPongAsync();

        Assert.Equal(ExpectedFor(frames, assets.ToHashSet()), received);
        Assert.Contains(received, r => r.Contains(markets[0].NoTokenId, StringComparison.Ordinal) && r.Contains("price_change", StringComparison.Ordinal));
        Assert.DoesNotContain(received, r => r.Contains("\"event_type\":\"book\"", StringComparison.Ordinal) && markets.Any(m => r.Contains($"\"asset_id\":\"{m.NoTokenId}\"", StringComparison.Ordinal)));
        var books = new Dictionary<string, OrderBook>();
        var parser = new FrameParser();
        var matched = 0;
        foreach (var frame in received.Prepend(dump!))
        {
            foreach (var wireEvent in parser.Parse(Encoding.UTF8.GetBytes(frame)).Events)
            {
                switch (wireEvent)
                {
                    case BookEvent book:
                        var target = books.TryGetValue(book.AssetId, out var existing) ? existing : books[book.AssetId] = Replica(host.Server, book.AssetId);
                        Assert.Equal(HashOutcome.Matched, target.ReplaceWithSnapshot(book).Outcome);
                        matched++;
                        break;
                    case PriceChangeEvent change:
                        foreach (var book in books.Values)
                        {
                            var result = book.ApplyPriceChange(change);
                            if (result.AppliedChanges > 0)
                            {
                                Assert.Equal(HashOutcome.Matched, result.Hash.Outcome);
                                matched++;
                            }
                        }

                        break;
                    case LastTradePriceEvent trade when books.TryGetValue(trade.AssetId, out var traded):
                        traded.RecordTrade(trade);
                        break;
                    default:
                        break;
                }
            }
        }

        Assert.True(matched > 500, $"only {matched} hashes checked");
        foreach (var (asset, book) in books)
        {
            Assert.True(host.Server.GetBook(asset)!.HasSameContent(book.Summary()));
        }
    }

    [Fact]
    public async Task Step_CustomFeatureEnabled_ReceivesBestBidAskOthersDoNot()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var asset = host.Server.Engine.Markets[0].YesTokenId;
        await using var plain = await host.ConnectMarketAsync();
        await using var custom = await host.ConnectMarketAsync();
        await plain.SendAsync(Subscribe(asset));
        await custom.SendAsync($"{{\"assets_ids\":[\"{asset}\"],\"type\":\"market\",\"initial_dump\":true,\"custom_feature_enabled\":true}}");
        await plain.ReceiveAsync();
        await custom.ReceiveAsync();

        var frames = host.Server.Step(1000);
        var plainReceived = await plain.DrainUntilPongAsync();
        var customReceived = await custom.DrainUntilPongAsync();

        Assert.DoesNotContain(plainReceived, r => r.Contains("best_bid_ask", StringComparison.Ordinal));
        Assert.Contains(customReceived, r => r.StartsWith("{\"event_type\":\"best_bid_ask\"", StringComparison.Ordinal));
        Assert.Equal(ExpectedFor(frames, new HashSet<string> { asset }, custom: true), customReceived);
    }

    [Fact]
    public async Task Resolve_CustomFeatureSubscriber_ReceivesMarketResolved()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var market = host.Server.Engine.Markets[0];
        await using var custom = await host.ConnectMarketAsync();
        await custom.SendAsync($"{{\"assets_ids\":[\"{market.YesTokenId}\"],\"type\":\"market\",\"custom_feature_enabled\":true}}");
        await custom.ReceiveAsync();

        host.Server.Resolve(market.ConditionId);
        var received = await custom.DrainUntilPongAsync();

        var resolved = Assert.Single(received);
        Assert.StartsWith("{\"event_type\":\"market_resolved\"", resolved, StringComparison.Ordinal);
        Assert.Contains($"\"winning_asset_id\":\"", resolved, StringComparison.Ordinal);
    }
}
