using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Auth;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Events;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>The real <see cref="WsClient"/> against the simulator on loopback, with short intervals and every wait bounded.</summary>
public sealed partial class WsClientTests
{
    private static readonly SimulatorOptions s_quiet = new() { Markets = 4, Seed = 5, MarketLifecycle = false };

    // The coarsest tick seen on the runtime's timer clock (a 100 Hz kernel), the most a timer may end early against a stopwatch.
    private static readonly TimeSpan s_timerTick = TimeSpan.FromMilliseconds(10);

    private static WsConfig Config(SimHost host) => new()
    {
        Url = host.Server.MarketWebSocketUrl,
        PingInterval = TimeSpan.FromMilliseconds(100),
        PongTimeout = TimeSpan.FromSeconds(5),
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
        PolicyCloseDelay = TimeSpan.FromMilliseconds(300),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    private static string[] YesTokens(SimHost host) => [.. host.Server.Engine.Markets.Select(m => m.YesTokenId)];

    private static bool IsDump(RecordingSink.ReceivedFrame frame) => frame.Text.StartsWith('[');

    private static int BookCount(string text) => BookPattern().Count(text);

    /// <summary>Every message the simulator received from clients, in order.</summary>
    private static Signals<(long Connection, string Text)> Wire(SimHost host)
    {
        var wire = new Signals<(long, string)>();
        host.Server.ClientMessageReceived += (connection, text) => wire.Add((connection, text));
        return wire;
    }

    [GeneratedRegex("\"event_type\":\"book\"")]
    private static partial Regex BookPattern();

    [GeneratedRegex("\"assets_ids\":\\[([^\\]]*)\\]")]
    private static partial Regex IdsPattern();

    private static string[] IdsIn(string message) =>
        IdsPattern().Match(message).Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim('"')).ToArray();

    [Fact]
    public async Task Start_Subscribed_ReceivesInitialDumpThenDeltasInOrder()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var assets = YesTokens(host);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host) with { CustomFeatureEnabled = false }, sink);
        await client.SubscribeAsync(assets, TestContext.Current.CancellationToken);

        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");
        var dump = sink.Frames.Items.Single(IsDump);
        Assert.Equal(MarketChannelTests.ExpectedDump(host.Server, assets), dump.Text);
        Assert.Equal(1, dump.ConnectionId);

        var expected = MarketChannelTests.ExpectedFor(host.Server.Step(300), assets.ToHashSet());
        Assert.NotEmpty(expected);
        await sink.Frames.WaitAsync(f => f.Count >= 1 + expected.Count, $"{expected.Count} deltas");

        Assert.Equal(expected, sink.Frames.Items.Skip(1).Select(f => f.Text));
        Assert.Equal(WsState.Subscribed, client.State);
        var health = client.Health;
        Assert.Equal(0, health.ReconnectCount);
        Assert.Equal(1 + expected.Count, sink.Frames.Items.Count);
        Assert.True(health.FramesReceived >= 1 + expected.Count);
        Assert.NotNull(health.ConnectedSince);
        Assert.NotNull(health.LastDataFrameAge);
    }

    [Fact]
    public async Task Receive_FramesAndThenSilence_WakeTheSubscriberTheirEventsWentTo()
    {
        // The reader holds subscribers' wake-ups while frames keep coming (HeldWakes). Its clock never moves here,
        // so only the release before it waits for the socket again can wake the subscriber.
        var ct = TestContext.Current.CancellationToken;
        await using var host = await SimHost.StartAsync(s_quiet);
        await using var bus = new EventBus();
        await using var events = bus.Subscribe(new SubscriberOptions { Capacity = 10_000 });
        var sink = new PublishingSink(bus);
        await using var client = new WsClient(Config(host) with { TimeProvider = new FakeTimeProvider() }, sink);
        await client.SubscribeAsync(YesTokens(host), ct);
        await client.StartAsync(ct);
        await sink.Frames.WaitAsync(f => f.Count > 0, "the initial dump");
        while (events.TryRead(out _))
        {
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        window.CancelAfter(TimeSpan.FromSeconds(5));
        var wait = events.WaitToReadAsync(window.Token);
        var sent = 0;
        for (var step = 0; step < 100 && sent == 0; step++)
        {
            sent = host.Server.Step().Count;
        }

        Assert.True(sent > 0, "the simulator sent nothing in 100 steps");
        Assert.True(await wait);
        Assert.True(events.TryRead(out _));
    }

    [Fact]
    public async Task Heartbeat_PingOnlyAfterSubscribe_PongConsumedNotDelivered()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var wire = Wire(host);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);

        await client.StartAsync(TestContext.Current.CancellationToken);
        // Re-checked on every client message, so the PONG count is awaited while PINGs keep coming.
        await wire.WaitAsync(m => m.Count(x => x.Text == "PING") >= 4 && client.Health.PongsReceived >= 2, "four PINGs and two PONGs");
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");

        var messages = wire.Items;
        Assert.StartsWith("{\"type\":\"market\"", messages[0].Text, StringComparison.Ordinal);
        Assert.All(messages.Skip(1), m => Assert.Equal("PING", m.Text));
        Assert.All(messages, m => Assert.Equal(1, m.Connection));
        Assert.DoesNotContain(sink.Frames.Items, f => f.Text.Contains("PONG", StringComparison.Ordinal));
        Assert.Equal(0, client.Health.ReconnectCount);
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Reconnecting);
    }

    [Fact]
    public async Task SilentStall_PongsStillAnswered_WatchdogRecyclesUntilDataFlows()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host) with { NoDataTimeout = TimeSpan.FromMilliseconds(600), StableAfter = TimeSpan.FromMilliseconds(200) }, sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");

        host.Server.Faults.Stalled = true;
        await sink.WaitForStateAsync(s => s.State == WsState.Stalled, "Stalled");
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, Reason: WsDisconnectReason.NoData }, "Reconnecting(NoData)");

        Assert.True(client.Health.PongsReceived > 0, "PONGs kept arriving during the stall");
        Assert.Equal(WsDisconnectReason.NoData, client.Health.LastDisconnectReason);
        // Connections that outlive StableAfter but deliver nothing are failures: the backoff keeps growing.
        await sink.States.WaitAsync(s => s.Count(x => x.Reason == WsDisconnectReason.NoData && x.State == WsState.Reconnecting) >= 2, "two NoData recycles");
        Assert.Equal([1, 2], sink.States.Items.Where(x => x is { State: WsState.Reconnecting, Reason: WsDisconnectReason.NoData }).Take(2).Select(x => x.Attempt));
        var stalledOn = sink.States.Items.Last(s => s.State == WsState.Stalled).ConnectionId;
        host.Server.Faults.Stalled = false;
        await sink.Frames.WaitAsync(f => f.Any(x => IsDump(x) && x.ConnectionId > stalledOn), "a fresh dump on a new connection");
    }

    [Fact]
    public async Task QuietVenue_ConnectionsThatGotOnlyTheirDump_EachWaitTwiceAsLongBeforeTheNextRecycle()
    {
        // Nothing steps the simulator: each connection gets its subscribe's dump, then only PONGs.
        await using var host = await SimHost.StartAsync(s_quiet);
        var sink = new TimedSink();
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var client = new WsClient(Config(host) with { NoDataTimeout = timeout, StableAfter = TimeSpan.FromSeconds(30) }, sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.States.WaitAsync(s => s.Count(x => x.Change.State == WsState.Stalled) >= 4, "four stalls");

        // From each connection's start to its stall: at least 1, 2, 4, then 8 (the most) times the timeout.
        var lives = sink.States.Items.Where(x => x.Change.State == WsState.Connected)
            .Join(sink.States.Items.Where(x => x.Change.State == WsState.Stalled), c => c.Change.ConnectionId, s => s.Change.ConnectionId, (c, s) => Stopwatch.GetElapsedTime(c.At, s.At))
            .Take(4).ToList();
        Assert.Equal(4, lives.Count);
        Assert.All(lives.Select((life, i) => (life, least: timeout * (1 << i))), x => Assert.True(x.life >= x.least, $"a quiet connection recycled after {x.life.TotalMilliseconds:F0} ms, not {x.least.TotalMilliseconds:F0}: {string.Join(", ", lives.Select(l => l.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}"));
    }

    [Fact]
    public async Task ServerDrops_Reconnects_ResubscribesDesiredSetWithFreshDump()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var assets = YesTokens(host);
        var wire = Wire(host);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(assets[..2], TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");
        await client.SubscribeAsync(assets[2..], TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Count(IsDump) == 2, "the dump for the added assets");

        host.Server.Faults.DropConnections();
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, Reason: WsDisconnectReason.ConnectionLost, Attempt: 1 }, "Reconnecting(ConnectionLost)");
        await sink.Frames.WaitAsync(f => f.Any(x => IsDump(x) && x.ConnectionId == 2), "a dump on connection 2");

        var dump = sink.Frames.Items.Single(x => IsDump(x) && x.ConnectionId == 2);
        Assert.Equal(assets.Length, BookCount(dump.Text));
        var resubscribe = wire.Items.First(m => m.Connection != wire.Items[0].Connection);
        Assert.StartsWith("{\"type\":\"market\"", resubscribe.Text, StringComparison.Ordinal);
        Assert.Equal(assets.Order(StringComparer.Ordinal), IdsIn(resubscribe.Text).Order(StringComparer.Ordinal));
        Assert.Equal(1, client.Health.ReconnectCount);
    }

    [Fact]
    public async Task RateLimitedConnect_RetryAfter_WaitsAtLeastThatLong()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        host.Server.Faults.RejectNextConnects(1, retryAfterSeconds: 1);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);

        var clock = Stopwatch.StartNew();
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, Reason: WsDisconnectReason.RateLimited }, "Reconnecting(RateLimited)");
        await sink.WaitForStateAsync(s => s.State == WsState.Subscribed, "Subscribed");

        // The runtime's timers run on a coarse clock (4 ms ticks here), so against a stopwatch a 1 s wait may
        // end a tick early; a fresh-clone run saw 0.9996 s. Retry-After counts whole seconds.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1) - s_timerTick, $"reconnected after {clock.Elapsed}");
        var rateLimited = sink.States.Items.Single(s => s.Reason == WsDisconnectReason.RateLimited);
        Assert.True(rateLimited.Delay >= TimeSpan.FromSeconds(1), $"delay {rateLimited.Delay}");
        Assert.Equal(WsDisconnectReason.RateLimited, client.Health.LastDisconnectReason);
    }

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure)]
    [InlineData(WebSocketCloseStatus.EndpointUnavailable)]
    [InlineData((WebSocketCloseStatus)4000)]
    public async Task ServerCloses_WithCode_ReconnectsAndReportsCode(WebSocketCloseStatus code)
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");

        host.Server.Faults.CloseConnections(code, "going away");
        await sink.WaitForStateAsync(s => s.State == WsState.Reconnecting, "Reconnecting");
        await sink.Frames.WaitAsync(f => f.Any(x => IsDump(x) && x.ConnectionId == 2), "a dump on connection 2");

        var reconnecting = sink.States.Items.Single(s => s.State == WsState.Reconnecting);
        Assert.Equal(WsDisconnectReason.ServerClosed, reconnecting.Reason);
        Assert.Equal(code, reconnecting.CloseStatus);
        Assert.Equal("going away", reconnecting.CloseDescription);
        Assert.True(reconnecting.Delay <= TimeSpan.FromMilliseconds(50), $"delay {reconnecting.Delay}");
        Assert.Equal(code, client.Health.LastCloseStatus);
    }

    [Fact]
    public async Task ServerCloses_PolicyViolation_WaitsAtLeastPolicyDelay()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");

        host.Server.Faults.CloseConnections(WebSocketCloseStatus.PolicyViolation, "invalid subscription payload");
        await sink.WaitForStateAsync(s => s.State == WsState.Reconnecting, "Reconnecting");
        await sink.WaitForStateAsync(s => s is { State: WsState.Subscribed, ConnectionId: 2 }, "Subscribed on connection 2");

        var reconnecting = sink.States.Items.Single(s => s.State == WsState.Reconnecting);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, reconnecting.CloseStatus);
        Assert.True(reconnecting.Delay >= TimeSpan.FromMilliseconds(300), $"delay {reconnecting.Delay}");
    }

    [Fact]
    public async Task Subscribe300Assets_WireFramesOfAtMost100Ids()
    {
        await using var host = await SimHost.StartAsync(s_quiet with { Markets = 150 });
        host.Server.Faults.MaxAssetsPerSubscribeMessage = 100;
        var assets = host.AllTokens();
        Assert.Equal(300, assets.Length);
        var wire = Wire(host);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(assets, TestContext.Current.CancellationToken);

        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Where(IsDump).Sum(x => BookCount(x.Text)) >= 300, "300 books");

        var subscribes = wire.Items.Where(m => m.Text != "PING").ToList();
        Assert.Equal(3, subscribes.Count);
        Assert.StartsWith("{\"type\":\"market\"", subscribes[0].Text, StringComparison.Ordinal);
        Assert.All(subscribes.Skip(1), m => Assert.StartsWith("{\"operation\":\"subscribe\"", m.Text, StringComparison.Ordinal));
        Assert.All(subscribes, m => Assert.InRange(IdsIn(m.Text).Length, 1, 100));
        Assert.Equal(assets.Order(StringComparer.Ordinal), subscribes.SelectMany(m => IdsIn(m.Text)).Order(StringComparer.Ordinal));
        Assert.Equal(300, host.Server.Connections.Single().Assets.Count);
        Assert.Equal(1, sink.Frames.Items.Max(f => f.ConnectionId));
    }

    [Fact]
    public async Task DynamicUnsubscribe_SentAsOperation_DesiredSetSurvivesReconnect()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var assets = YesTokens(host);
        var wire = Wire(host);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(assets, TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");

        await client.UnsubscribeAsync([assets[0]], TestContext.Current.CancellationToken);
        await wire.WaitAsync(m => m.Any(x => x.Text.StartsWith("{\"operation\":\"unsubscribe\"", StringComparison.Ordinal)), "the unsubscribe");

        var unsubscribe = wire.Items.Single(x => x.Text.StartsWith("{\"operation\":\"unsubscribe\"", StringComparison.Ordinal));
        Assert.Equal([assets[0]], IdsIn(unsubscribe.Text));
        Assert.Equal(assets.Length - 1, client.DesiredSubscriptions.Count);

        host.Server.Faults.DropConnections();
        await wire.WaitAsync(m => m.Any(x => x.Connection != m[0].Connection && x.Text.StartsWith('{')), "the resubscribe");
        var resubscribe = wire.Items.First(x => x.Connection != wire.Items[0].Connection);
        Assert.Equal(assets[1..].Order(StringComparer.Ordinal), IdsIn(resubscribe.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OversizedFrame_Dropped_CountedAndRecycled()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host) with { MaxFrameBytes = 1024 * 1024 }, sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");

        host.Server.Faults.SendOversizedFrame(2 * 1024 * 1024);
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, Reason: WsDisconnectReason.FrameTooLarge }, "Reconnecting(FrameTooLarge)");
        await sink.Frames.WaitAsync(f => f.Any(x => IsDump(x) && x.ConnectionId == 2), "a dump on connection 2");

        Assert.Equal(1, client.Health.OversizedFrames);
        Assert.DoesNotContain(sink.Frames.Items, f => f.Text.Length > 1024 * 1024);
    }

    [Fact]
    public async Task Dispose_WhileWaitingToReconnect_EndsPromptlyAndCleanly()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        host.Server.Faults.RejectNextConnects(1, retryAfterSeconds: 600);
        var sink = new RecordingSink();
        var client = new WsClient(Config(host), sink);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, Reason: WsDisconnectReason.RateLimited }, "Reconnecting(RateLimited)");

        var clock = Stopwatch.StartNew();
        await client.DisposeAsync().AsTask().WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken);
        await client.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {clock.Elapsed}");
        Assert.Equal(WsState.Closed, sink.States.Items[^1].State);
        Assert.Equal(WsState.Closed, client.State);
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Connected);
        Assert.Single(sink.States.Items, s => s.State == WsState.Closed);
    }

    [Fact]
    public async Task Dispose_WhileSubscribed_EndsCleanly()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        var sink = new RecordingSink();
        var client = new WsClient(Config(host), sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump");

        await client.DisposeAsync().AsTask().WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken);

        Assert.Equal(WsState.Closed, sink.States.Items[^1].State);
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Reconnecting);
        Assert.Equal(WsDisconnectReason.None, client.Health.LastDisconnectReason);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.SubscribeAsync(["x"], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UserChannel_Credentials_ReceivesOwnOrders()
    {
        var options = s_quiet with
        {
            AccountOrderShare = 0.5,
            ApiKey = "3e2c94ca-8124-c4c1-c7ea-be1ea21b71fe",
            ApiSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            ApiPassphrase = "pass",
        };
        await using var host = await SimHost.StartAsync(options);
        var market = host.Server.Engine.Markets[1].ConditionId;
        var sink = new RecordingSink();
        var logs = new CapturingLoggerFactory();
        var config = Config(host) with
        {
            Url = host.Server.UserWebSocketUrl,
            Channel = WsChannel.User,
            Credentials = new ApiCredentials(options.ApiKey, options.ApiSecret, options.ApiPassphrase),
        };
        await using var client = new WsClient(config, sink, logs.CreateLogger("ws"));
        var wire = Wire(host);
        await client.SubscribeAsync([market], TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);

        // The server handles messages in order: a PING behind the subscribe means the subscription is in place.
        await wire.WaitAsync(m => m.Any(x => x.Text == "PING") && client.Health.PongsReceived >= 1, "a PING answered after the subscribe");
        Assert.StartsWith("{\"auth\":", wire.Items[0].Text, StringComparison.Ordinal);

        var expected = host.Server.Step(4000).Where(f => f.IsUserEvent && f.Market == market).Select(f => f.Text).ToList();
        Assert.NotEmpty(expected);
        await sink.Frames.WaitAsync(f => f.Count >= expected.Count, $"{expected.Count} user events");

        Assert.Equal(expected, sink.Frames.Items.Select(f => f.Text));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(options.ApiSecret, StringComparison.Ordinal) || l.Contains("pass\"", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Reconnecting);
    }

    [Fact]
    public async Task MuteServer_NoPong_DeclaredDeadAfterPongTimeout()
    {
        await using var server = await MuteWebSocketServer.StartAsync();
        var sink = new RecordingSink();
        var config = new WsConfig
        {
            Url = server.Url,
            PingInterval = TimeSpan.FromMilliseconds(100),
            PongTimeout = TimeSpan.FromMilliseconds(500),
            NoDataTimeout = TimeSpan.Zero,
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        await using var client = new WsClient(config, sink);
        await client.SubscribeAsync(["1"], TestContext.Current.CancellationToken);

        var clock = Stopwatch.StartNew();
        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, Reason: WsDisconnectReason.PongTimeout }, "Reconnecting(PongTimeout)");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(500) - s_timerTick, $"declared dead after {clock.Elapsed}");
        Assert.Contains("PING", server.Received.Items);
        Assert.StartsWith("{\"type\":\"market\"", server.Received.Items[0], StringComparison.Ordinal);
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Stalled);
    }

    [Fact]
    public async Task RejectedConnects_AttemptsGrowAcrossFailures_ResetOnlyAfterStable()
    {
        await using var host = await SimHost.StartAsync(s_quiet);
        host.Server.Faults.RejectNextConnects(3, retryAfterSeconds: 0);
        var sink = new RecordingSink();
        await using var client = new WsClient(Config(host) with { StableAfter = TimeSpan.FromSeconds(1) }, sink);
        await client.SubscribeAsync(YesTokens(host), TestContext.Current.CancellationToken);

        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.Frames.WaitAsync(f => f.Any(IsDump), "the initial dump after three rejections");
        Assert.Equal([1, 2, 3], sink.States.Items.Where(s => s.State == WsState.Reconnecting).Select(s => s.Attempt));

        // Dropped before it was stable: the backoff keeps growing.
        host.Server.Faults.DropConnections();
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, Reason: WsDisconnectReason.ConnectionLost }, "Reconnecting(ConnectionLost)");
        Assert.Equal(4, sink.States.Items.Last(s => s.State == WsState.Reconnecting).Attempt);

        // Stable for longer than StableAfter (PINGs answered meanwhile): the next drop starts from attempt 1.
        await sink.Frames.WaitAsync(f => f.Any(x => IsDump(x) && x.ConnectionId == 5), "the dump on connection 5");
        var stableSince = Stopwatch.StartNew();
        var wire = Wire(host);
        await wire.WaitAsync(m => stableSince.Elapsed > TimeSpan.FromMilliseconds(1200), "the connection to outlive StableAfter");
        host.Server.Faults.DropConnections();
        await sink.WaitForStateAsync(s => s is { State: WsState.Reconnecting, ConnectionId: 5 }, "Reconnecting after connection 5");
        Assert.Equal(1, sink.States.Items.Last(s => s.State == WsState.Reconnecting).Attempt);
    }

    [Fact]
    public async Task Dispose_Subscribed_SendsNormalCloseFrame()
    {
        await using var server = await MuteWebSocketServer.StartAsync();
        var sink = new RecordingSink();
        var client = new WsClient(new WsConfig { Url = server.Url, PingInterval = TimeSpan.FromMilliseconds(100) }, sink);
        await client.SubscribeAsync(["1"], TestContext.Current.CancellationToken);
        await client.StartAsync(TestContext.Current.CancellationToken);
        await server.Received.WaitAsync(m => m.Contains("PING"), "a PING");

        await client.DisposeAsync().AsTask().WaitAsync(SimClient.Timeout, TestContext.Current.CancellationToken);

        await server.Received.WaitAsync(m => m.Contains("<close NormalClosure>"), "the close frame");
        Assert.Equal(WsState.Closed, sink.States.Items[^1].State);
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Reconnecting);
    }

    [Fact]
    public async Task NothingListening_ConnectFailures_BackoffGrowsNoExceptionToCaller()
    {
        var port = Loopback.FreePort();
        var sink = new RecordingSink();
        var config = new WsConfig
        {
            Url = new Uri($"ws://127.0.0.1:{port}/ws/market"),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(10),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(40),
        };
        await using var client = new WsClient(config, sink);

        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.States.WaitAsync(s => s.Count(x => x.State == WsState.Reconnecting) >= 4, "four reconnects");

        var reconnects = sink.States.Items.Where(s => s.State == WsState.Reconnecting).Take(4).ToList();
        Assert.All(reconnects, r => Assert.Equal(WsDisconnectReason.ConnectFailed, r.Reason));
        Assert.Equal([1, 2, 3, 4], reconnects.Select(r => r.Attempt));
        Assert.All(reconnects, r => Assert.InRange(r.Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(40)));
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Connected);
        Assert.Null(client.Health.ConnectedSince);
    }

    [Fact]
    public async Task MuteHandshake_NoUpgradeAnswer_ConnectTimesOutAndRetries()
    {
        // Accepts TCP connections and never answers the upgrade: the handshake's read blocks until the connect timeout closes the socket.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var sink = new RecordingSink();
        var config = new WsConfig
        {
            Url = new Uri($"ws://127.0.0.1:{port}/ws/market"),
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(10),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(40),
        };
        await using var client = new WsClient(config, sink);
        var started = Stopwatch.GetTimestamp();

        await client.StartAsync(TestContext.Current.CancellationToken);
        await sink.States.WaitAsync(s => s.Count(x => x.State == WsState.Reconnecting) >= 2, "two timed-out connects");

        var reconnects = sink.States.Items.Where(s => s.State == WsState.Reconnecting).Take(2).ToList();
        Assert.All(reconnects, r => Assert.Equal(WsDisconnectReason.ConnectFailed, r.Reason));
        Assert.True(Stopwatch.GetElapsedTime(started) >= (2 * config.ConnectTimeout) - s_timerTick, "each connect waited for its timeout");
        Assert.DoesNotContain(sink.States.Items, s => s.State == WsState.Connected);
    }

    /// <summary>A sink that keeps each state change with when it came.</summary>
    private sealed class TimedSink : IFrameSink
    {
        public Signals<(long At, WsStateChange Change)> States { get; } = new();

        public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId)
        {
        }

        public void OnStateChanged(WsStateChange change) => States.Add((Stopwatch.GetTimestamp(), change));
    }

    /// <summary>Publishes an event to a bus for every frame, as a shard does, and counts the frames.</summary>
    private sealed class PublishingSink(EventBus bus) : IFrameSink
    {
        public Signals<long> Frames { get; } = new();

        public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId)
        {
            bus.Publish(new BestBidAskReceived { AssetId = "A", Market = "m", ReceiveTimestamp = receivedAtTimestamp });
            Frames.Add(receivedAtTimestamp);
        }

        public void OnStateChanged(WsStateChange change)
        {
        }
    }
}
