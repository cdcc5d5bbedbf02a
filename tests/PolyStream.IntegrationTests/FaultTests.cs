using System.Net;
using System.Net.WebSockets;
using System.Text;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;

namespace PolyStream.IntegrationTests;

public sealed class FaultTests
{
    private static readonly SimulatorOptions s_quiet = new() { Markets = 4, Seed = 5, MarketLifecycle = false };

    private static async Task<(SimHost Host, SimClient Client, string[] Assets)> SubscribedAsync(SimulatorOptions? options = null)
    {
        var host = await SimHost.StartAsync(options ?? s_quiet);
        var assets = host.Server.Engine.Markets.Select(m => m.YesTokenId).ToArray();
        var client = await host.ConnectMarketAsync();
        await client.SendAsync(MarketChannelTests.Subscribe(assets));
        await client.ReceiveAsync();
        return (host, client, assets);
    }

    private static List<string> Expected(IEnumerable<SimFrame> frames, string[] assets) => MarketChannelTests.ExpectedFor(frames, assets.ToHashSet());

    [Fact]
    public async Task DropConnections_OpenSocket_AbortedWithoutCloseHandshake()
    {
        var (host, client, _) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;

        host.Server.Faults.DropConnections();

        var error = await Assert.ThrowsAsync<WebSocketException>(client.ReceiveAsync);
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, error.WebSocketErrorCode);
    }

    [Fact]
    public async Task Stalled_Global_NoDataButPongStillAnswered()
    {
        var (host, client, _) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;

        host.Server.Faults.Stalled = true;
        var frames = host.Server.Step(500);

        Assert.NotEmpty(frames);
        Assert.Empty(await client.DrainUntilPongAsync());
        host.Server.Faults.Stalled = false;
        host.Server.Step(500);
        Assert.NotEmpty(await client.DrainUntilPongAsync());
    }

    [Fact]
    public async Task Stalled_OneConnection_OtherConnectionStillReceives()
    {
        var (host, client, assets) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        await using var other = await host.ConnectMarketAsync();
        await other.SendAsync(MarketChannelTests.Subscribe(assets));
        await other.ReceiveAsync();
        host.Server.Connections.Single(c => c.Assets.Count == assets.Length && c.Id == host.Server.Connections.Min(x => x.Id)).Faults.Stalled = true;

        var frames = host.Server.Step(300);

        Assert.Empty(await client.DrainUntilPongAsync());
        Assert.Equal(Expected(frames, assets), await other.DrainUntilPongAsync());
    }

    [Fact]
    public async Task StallAsset_OneToken_NoFrameAboutItOthersFlow()
    {
        var (host, client, assets) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        var stalled = host.Server.Engine.Markets[0];
        host.Server.Faults.StallAsset(stalled.YesTokenId);

        var frames = host.Server.Step(1000);
        var received = await client.DrainUntilPongAsync();

        Assert.DoesNotContain(received, r => r.Contains(stalled.YesTokenId, StringComparison.Ordinal));
        Assert.Equal(Expected(frames.Where(f => !f.AssetIds.Contains(stalled.YesTokenId)), assets), received);
        Assert.NotEmpty(received);
    }

    [Fact]
    public async Task CorruptNextHashes_OneConnection_ReplicaReportsMismatch()
    {
        var (host, client, _) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        var market = host.Server.Engine.Markets[0];
        var replica = new OrderBook(market.YesTokenId);
        replica.ReplaceWithSnapshotNoHash(host.Server.GetBook(market.YesTokenId)!.ToSnapshot());
        host.Server.Connections[0].Faults.CorruptNextHashes(1000);

        host.Server.Step(300);
        var received = await client.DrainUntilPongAsync();

        var change = received.Select(Parse).OfType<PriceChangeEvent>().First(c => c.Changes.Any(e => e.AssetId == market.YesTokenId));
        Assert.Equal(HashOutcome.Mismatched, replica.ApplyPriceChange(change).Hash.Outcome);
    }

    [Fact]
    public async Task DropNextDeltas_One_FirstPriceChangeMissing()
    {
        var (host, client, assets) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        host.Server.Connections[0].Faults.DropNextDeltas(1);

        var frames = host.Server.Step(200);
        var expected = Expected(frames, assets);
        expected.RemoveAt(expected.FindIndex(f => f.Contains("\"event_type\":\"price_change\"", StringComparison.Ordinal)));

        Assert.Equal(expected, await client.DrainUntilPongAsync());
    }

    [Fact]
    public async Task DuplicateNextFrames_One_FirstFrameTwice()
    {
        var (host, client, assets) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        host.Server.Connections[0].Faults.DuplicateNextFrames(1);

        var expected = Expected(host.Server.Step(200), assets);
        expected.Insert(0, expected[0]);

        Assert.Equal(expected, await client.DrainUntilPongAsync());
    }

    [Fact]
    public async Task SwapNextFrames_One_FirstTwoFramesSwapped()
    {
        var (host, client, assets) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        host.Server.Connections[0].Faults.SwapNextFrames(1);

        var expected = Expected(host.Server.Step(200), assets);
        (expected[0], expected[1]) = (expected[1], expected[0]);

        Assert.Equal(expected, await client.DrainUntilPongAsync());
    }

    [Fact]
    public async Task SendMalformedFrame_OpenSocket_FrameFailsToParse()
    {
        var (host, client, _) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;

        host.Server.Faults.SendMalformedFrame();
        var frame = await client.ReceiveBytesAsync();

        var result = new FrameParser().Parse(frame);
        Assert.False(result.IsSuccess);
        Assert.Equal(FrameErrorKind.MalformedJson, result.Error!.Kind);
    }

    [Fact]
    public async Task SendOversizedFrame_TwoMebibytes_ReceivedWhole()
    {
        var (host, client, _) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;

        host.Server.Faults.SendOversizedFrame(2 * 1024 * 1024);
        var frame = await client.ReceiveBytesAsync();

        Assert.Equal(2 * 1024 * 1024, frame!.Length);
        Assert.StartsWith("[{\"event_type\":\"padding\"", Encoding.UTF8.GetString(frame, 0, 30), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxAssetsPerConnection_Exceeded_NoSnapshotsNoDataButPong()
    {
        await using var host = await SimHost.StartAsync(s_quiet with { MaxAssetsPerConnection = 3 });
        var assets = host.Server.Engine.Markets.Select(m => m.YesTokenId).ToArray();
        await using var client = await host.ConnectMarketAsync();

        await client.SendAsync(MarketChannelTests.Subscribe(assets));
        host.Server.Step(300);

        Assert.Empty(await client.DrainUntilPongAsync());
    }

    [Fact]
    public async Task MaxAssetsPerSubscribeMessage_Exceeded_ClosedWith1009ChunkedSubscribesAccepted()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        host.Server.Faults.MaxAssetsPerSubscribeMessage = 100;
        var ids = Enumerable.Range(1, 101).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await using var big = await host.ConnectMarketAsync();
        await using var chunked = await host.ConnectMarketAsync();

        await big.SendAsync(MarketChannelTests.Subscribe(ids));
        await chunked.SendAsync(MarketChannelTests.Subscribe(ids[..100]));
        await chunked.SendAsync($"{{\"operation\":\"subscribe\",\"assets_ids\":[\"{ids[100]}\"]}}");

        Assert.Null(await big.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, big.Socket.CloseStatus);
        Assert.Equal("[]", await chunked.ReceiveAsync());
        Assert.Equal("[]", await chunked.ReceiveAsync());
    }

    [Fact]
    public async Task RejectNextConnects_One_Http429WithRetryAfterThenAccepts()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        host.Server.Faults.RejectNextConnects(1, retryAfterSeconds: 7);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(SimClient.Timeout);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.Server.MarketWebSocketUrl, cts.Token));

        Assert.Equal(HttpStatusCode.TooManyRequests, socket.HttpStatusCode);
        Assert.Equal("7", socket.HttpResponseHeaders!["Retry-After"].Single());
        await using var second = await host.ConnectMarketAsync();
        Assert.Equal(WebSocketState.Open, second.Socket.State);
    }

    [Fact]
    public async Task CloseConnections_GivenCode_ClientSeesCodeAndReason()
    {
        var (host, client, _) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;

        host.Server.Faults.CloseConnections((WebSocketCloseStatus)4001, "maintenance");

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal((WebSocketCloseStatus)4001, client.Socket.CloseStatus);
        Assert.Equal("maintenance", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task RestDelay_FakeClock_ResponseWaitsUntilTimeAdvances()
    {
        await using var host = await SimHost.StartAsync(s_quiet with { Markets = 1 });
        host.Time.AutoAdvanceAmount = TimeSpan.Zero;
        host.Server.Faults.RestDelay = TimeSpan.FromSeconds(30);

        var delayStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Server.Faults.RestDelayStarted += () => delayStarted.TrySetResult();

        var pending = host.Http.GetStringAsync(new Uri("time", UriKind.Relative), TestContext.Current.CancellationToken);
        await delayStarted.Task.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);
        host.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Matches("^[0-9]{10}$", await pending.WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GhostBooks_Enabled_RestBookShowsOnlyExtremeLevels()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var token = host.Server.Engine.Markets[0].YesTokenId;
        host.Server.Faults.GhostBooks = true;

        var body = await host.Http.GetStringAsync(new Uri($"book?token_id={token}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("\"bids\":[{\"price\":\"0.01\",\"size\":\"1000000\"}],\"asks\":[{\"price\":\"0.99\",\"size\":\"1000000\"}]", body, StringComparison.Ordinal);
        Assert.NotEqual(host.Server.GetBook(token)!.Hash.ToString(), System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task PeriodicFaults_DropEverySecondDelta_HalfThePriceChangesArrive()
    {
        var (host, client, assets) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        host.Server.Faults.DropDeltaEvery = 2;

        var expected = Expected(host.Server.Step(400), assets).Count(f => f.Contains("price_change", StringComparison.Ordinal));
        var received = (await client.DrainUntilPongAsync()).Count(f => f.Contains("price_change", StringComparison.Ordinal));

        Assert.Equal(expected - (expected / 2), received);
    }

    [Fact]
    public async Task MaxQueuedFrames_ClientNotReading_ClosedAsSlowConsumer()
    {
        var (host, client, _) = await SubscribedAsync(s_quiet with { MaxQueuedFramesPerConnection = 10 });
        await using var _h = host;
        await using var _c = client;

        // The engine enqueues far faster than one socket drains, so the queue overflows during the batch.
        var expected = Expected(host.Server.Step(20_000), [.. host.Server.Engine.Markets.Select(m => m.YesTokenId)]).Count;
        var messages = 0;
        while (messages <= expected && await client.ReceiveAsync() is not null)
        {
            messages++;
        }

        Assert.True(messages < expected, $"{messages} of {expected} frames arrived");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.Socket.CloseStatus);
        Assert.Equal("slow consumer", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task OversizedEvery_Two_BigFrameAfterEverySecondDataFrame()
    {
        var (host, client, assets) = await SubscribedAsync();
        await using var _h = host;
        await using var _c = client;
        host.Server.Faults.OversizedEvery = 2;

        var expected = Expected(host.Server.Step(30), assets);
        var received = await client.DrainUntilPongAsync();

        Assert.Equal(expected.Count + (expected.Count / 2), received.Count);
        Assert.Equal(2 * 1024 * 1024, Encoding.UTF8.GetByteCount(received[2]));
        Assert.Equal(expected[1], received[1]);
    }

    private static WireEvent Parse(string frame) => new FrameParser().Parse(Encoding.UTF8.GetBytes(frame)).Events[0];
}
