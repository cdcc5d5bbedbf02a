using System.Net.WebSockets;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Events;
using PolyStream.Resync;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>Each simulator fault kind against the whole streamer: the right states, nothing crashes, and every book back at ground truth within 5 s.</summary>
public sealed class StreamerFaultTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(5);

    // How long a book may take to be moved (strikes come one stale threshold apart) or a connection to be recycled.
    private static readonly TimeSpan s_moveLimit = TimeSpan.FromSeconds(15);

    private sealed record Run(SimHost Host, Streamer Streamer, string[] Tokens, EventSubscriber Events, CapturingLoggerFactory Logs) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Events.DisposeAsync();
            await Streamer.DisposeAsync();
            await Host.DisposeAsync();
        }

        public List<StreamEvent> Drain()
        {
            var seen = new List<StreamEvent>();
            while (Events.TryRead(out var e))
            {
                seen.Add(e);
            }

            return seen;
        }

        /// <summary>How many tokens each shard carries, and what the shards logged about books going stale and moving: for failure messages.</summary>
        public string Placement()
        {
            var shards = Tokens.GroupBy(Streamer.ShardIndexOf).OrderBy(g => g.Key).Select(g => $"shard {g.Key}: {g.Count()}");
            var moves = Logs.Lines.Where(l => l.Contains("Sharding", StringComparison.Ordinal));
            return $"placement [{string.Join(", ", shards)}]; the shards logged:\n{string.Join("\n", moves)}";
        }
    }

    private static async Task<Run> StartAsync(SimulatorOptions? sim = null, Func<StreamerConfig, StreamerConfig>? tune = null)
    {
        var host = await SimHost.StartAsync((sim ?? new SimulatorOptions()) with { Markets = 6, Seed = 21, MarketLifecycle = false });
        var tokens = host.AllTokens();
        var config = new StreamerConfig
        {
            MarketAssets = tokens,
            Ws = new WsConfig { ReconnectBaseDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200), PingInterval = TimeSpan.FromMilliseconds(200), PolicyCloseDelay = TimeSpan.FromMilliseconds(100) },
            ConnectInterval = TimeSpan.FromMilliseconds(10),
            Resync = new ResyncOptions { RetryDelay = TimeSpan.FromMilliseconds(100) },
        };
        var logs = new CapturingLoggerFactory();
        var streamer = new Streamer(tune?.Invoke(config) ?? config, logs);
        var events = streamer.Subscribe(new SubscriberOptions { Capacity = 200_000 });
        await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: TestContext.Current.CancellationToken);
        var run = new Run(host, streamer, tokens, events, logs);
        await GroundTruth.WaitConnectedAsync(streamer, host, tokens, TimeSpan.FromSeconds(20));
        return run;
    }

    private static async Task<TimeSpan> WaitForGroundTruthAsync(Run run, TimeSpan limit)
    {
        var elapsed = await GroundTruth.WaitAsync(run.Streamer, run.Host, run.Tokens, limit);
        TestContext.Current.TestOutputHelper?.WriteLine($"recovered in {elapsed.TotalMilliseconds:F0} ms");
        return elapsed;
    }

    /// <summary>Steps the simulator (20 events every 50 ms) until <paramref name="done"/>; fails after <see cref="s_moveLimit"/> naming what it awaited and where the books are.</summary>
    private static async Task StepUntilAsync(Run run, Func<bool> done, string awaited)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!done())
        {
            if (TimeProvider.System.GetElapsedTime(started) >= s_moveLimit)
            {
                Assert.Fail($"{awaited} did not happen within {s_moveLimit}; {run.Placement()}");
            }

            run.Host.Server.Step(20);
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task DuplicatedFrames_AreHarmless()
    {
        await using var received = new ReceivedFrames();
        await using var run = await StartAsync(tune: c => c with { Recorder = received.Recorder });
        var armed = run.Host.DescribeConnections();
        run.Host.Server.Faults.ForEachConnection(f => f.DuplicateNextFrames(20));
        run.Host.Server.Step(200);

        await WaitForGroundTruthAsync(run, s_limit);
        var repeated = await received.RepeatedAsync(run.Host.Server);
        Assert.True(repeated >= 20, $"the streamer received {repeated} duplicated frames, not the 20 the fault sends; armed on {armed}, open now {run.Host.DescribeConnections()}");
    }

    [Fact]
    public async Task SwappedFrames_AreCaughtAndRepaired()
    {
        await using var received = new ReceivedFrames();
        await using var run = await StartAsync(tune: c => c with { Recorder = received.Recorder });
        var armed = run.Host.DescribeConnections();
        run.Host.Server.Faults.ForEachConnection(f => f.SwapNextFrames(5));
        run.Host.Server.Step(200);

        await WaitForGroundTruthAsync(run, s_limit);
        var swapped = await received.OutOfOrderAsync(run.Host.Server);
        Assert.True(swapped >= 5, $"the streamer received {swapped} frames out of order, not the 5 swaps the fault makes; armed on {armed}, open now {run.Host.DescribeConnections()}");
    }

    [Fact]
    public async Task MalformedFrame_IsCountedAndPublishedWithoutHarm()
    {
        await using var run = await StartAsync();
        run.Host.Server.Faults.SendMalformedFrame();
        run.Host.Server.Step(100);

        await WaitForGroundTruthAsync(run, s_limit);
        Assert.Contains(run.Drain(), e => e is ParseFailure);
        Assert.True(run.Streamer.Shards.Sum(s => s.Books.ParseFailures) >= 1);
    }

    [Fact]
    public async Task OversizedFrame_OverTheLimit_RecyclesTheConnectionAndRecovers()
    {
        await using var run = await StartAsync(tune: c => c with { Ws = c.Ws with { MaxFrameBytes = 1 << 20 } });
        run.Host.Server.Faults.SendOversizedFrame(2 << 20);
        run.Host.Server.Step(100);

        await WaitForGroundTruthAsync(run, s_limit);
        Assert.True(run.Streamer.Shards.Sum(s => s.Connection.OversizedFrames) >= 1);
    }

    [Fact]
    public async Task ServerClosesWithACode_ReconnectsAndRecovers()
    {
        await using var run = await StartAsync();
        run.Host.Server.Faults.CloseConnections(WebSocketCloseStatus.EndpointUnavailable, "going away");
        run.Host.Server.Step(100);

        await WaitForGroundTruthAsync(run, s_limit);
        Assert.All(run.Streamer.Shards, s => Assert.True(s.Connection.ReconnectCount >= 1));
    }

    [Fact]
    public async Task TooManyRequestsOnReconnect_WaitsRetryAfterThenRecovers()
    {
        await using var run = await StartAsync();
        run.Host.Server.Faults.RejectNextConnects(2, retryAfterSeconds: 1);
        run.Host.Server.Faults.DropConnections();
        run.Host.Server.Step(100);

        var recovery = await WaitForGroundTruthAsync(run, TimeSpan.FromSeconds(8));
        Assert.True(recovery >= TimeSpan.FromSeconds(1), $"recovered after {recovery}, sooner than Retry-After allows");
    }

    [Fact]
    public async Task GhostRestBooks_AreRefusedAndTheWebSocketRepairsTheBooks()
    {
        await using var run = await StartAsync();
        run.Host.Server.Faults.GhostBooks = true;
        run.Host.Server.Faults.ForEachConnection(f => f.CorruptNextHashes(2));
        run.Host.Server.Step(200);

        await WaitForGroundTruthAsync(run, s_limit);
        Assert.Equal(0, run.Streamer.ResyncCounts.Accepted);
    }

    [Fact]
    public async Task SlowRest_StillRecoversWithinTheLimit()
    {
        await using var run = await StartAsync();
        var slowed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Host.Server.Faults.RestDelayStarted += () => slowed.TrySetResult();
        run.Host.Server.Faults.RestDelay = TimeSpan.FromMilliseconds(300);
        run.Host.Server.Faults.ForEachConnection(f => f.CorruptNextHashes(2));
        run.Host.Server.Step(200);

        await WaitForGroundTruthAsync(run, s_limit);
        // The resyncs the corrupted hashes asked for met the slow REST (the WebSocket's next snapshots may repair the books first).
        try
        {
            await slowed.Task.WaitAsync(s_limit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no REST request was slowed within {s_limit}: the fault never happened ({run.Streamer.ResyncCounts})");
        }
    }

    [Fact]
    public async Task SilentStall_TheWatchdogRecyclesTheConnection()
    {
        await using var run = await StartAsync(tune: c => c with { Ws = c.Ws with { NoDataTimeout = TimeSpan.FromMilliseconds(500) } });
        run.Host.Server.Faults.Stalled = true;
        run.Host.Server.Step(100);
        await Task.Delay(800, TestContext.Current.CancellationToken);
        run.Host.Server.Faults.Stalled = false;
        run.Host.Server.Step(100);

        await WaitForGroundTruthAsync(run, s_limit);
        Assert.True(run.Streamer.Shards.Sum(s => s.Connection.ReconnectCount) >= 1);
    }

    [Fact]
    public async Task StalledAsset_IsFoundByItsRestWitnessMarkedStaleAndRebased()
    {
        await using var run = await StartAsync(tune: c => c with { StaleAfter = TimeSpan.FromMilliseconds(300), StaleCheckInterval = TimeSpan.FromMilliseconds(100) });
        var stalled = run.Tokens[0];
        run.Host.Server.Faults.StallAsset(stalled);
        run.Host.Server.Step(300);

        await WaitForGroundTruthAsync(run, s_limit);
        Assert.Contains(run.Drain(), e => e is BookStateChanged { NewState: BookTrustState.Stale } s && s.AssetId == stalled);
    }

    [Fact]
    public async Task AssetWhoseFirstSnapshotNeverComes_IsBasedFromRest_NotLeftUnsynced()
    {
        await using var run = await StartAsync(tune: c => c with { StaleAfter = TimeSpan.FromMilliseconds(300), StaleCheckInterval = TimeSpan.FromMilliseconds(100) });
        var silent = run.Tokens[0];
        var old = run.Streamer.GetOrderBook(silent);
        await run.Streamer.UnsubscribeAsync([silent], TestContext.Current.CancellationToken);
        run.Host.Server.Faults.StallAsset(silent);

        await run.Streamer.SubscribeAsync([silent], TestContext.Current.CancellationToken);
        using (var timeout = new CancellationTokenSource(s_limit))
        {
            // The old book goes first; the new one waits for a first snapshot that never comes. Its view is a new
            // one (views are immutable): the REST summary fetched with its metadata may base it within
            // milliseconds, too soon for a poll to see it Unsynced.
            while (ReferenceEquals(run.Streamer.GetOrderBook(silent), old))
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        await WaitForGroundTruthAsync(run, s_limit);
        Assert.Contains(run.Drain(), e => e is BookSnapshotApplied { FromRest: true } s && s.AssetId == silent);
    }

    [Fact]
    public async Task AssetThatStaysStale_IsMovedToAnotherConnection_ThenThatConnectionIsRecycled_AndRecoversWhenDataResumes()
    {
        await using var run = await StartAsync(tune: c => c with { MaxAssetsPerConnection = 6, StaleAfter = TimeSpan.FromMilliseconds(300), StaleCheckInterval = TimeSpan.FromMilliseconds(100) });
        var stalled = run.Tokens[0];
        var home = run.Streamer.ShardIndexOf(stalled);
        run.Host.Server.Faults.StallAsset(stalled);

        await StepUntilAsync(run, () => run.Streamer.ShardIndexOf(stalled) != home, "the stalled book's move");

        // Still stale on its new connection: that connection is recycled (a fresh socket, every book re-based).
        var moved = run.Streamer.ShardIndexOf(stalled);
        Assert.NotEqual(home, moved);
        var reconnects = run.Streamer.Shards[moved].Connection.ReconnectCount;
        await StepUntilAsync(run, () => run.Streamer.Shards[moved].Connection.ReconnectCount != reconnects, "the recycle of its new connection");

        run.Host.Server.Faults.ResumeAsset(stalled);
        run.Host.Server.Step(100);
        await WaitForGroundTruthAsync(run, s_limit);
        Assert.Equal(moved, run.Streamer.ShardIndexOf(stalled));
    }

    [Fact]
    public async Task ConnectionThatGoesSilent_IsSplitIntoTwoConnections_AndTheMovedHalfRecovers()
    {
        await using var run = await StartAsync(tune: c => c with { MaxAssetsPerConnection = 12, StaleAfter = TimeSpan.FromMilliseconds(300), StaleCheckInterval = TimeSpan.FromMilliseconds(100) });
        Assert.Single(run.Streamer.Shards);
        var armed = run.Host.DescribeConnections();
        run.Host.Server.Faults.ForEachConnection(f => f.Stalled = true);

        // A split opens the new connection first and only then moves half the books onto it (all in one step):
        // waiting for a second shard alone would look at the books while every one is still on the first.
        await StepUntilAsync(run, () => run.Tokens.Any(t => run.Streamer.ShardIndexOf(t) != 0), $"a split of the connection stalled on {armed}");

        var homes = run.Tokens.GroupBy(run.Streamer.ShardIndexOf).ToList();
        Assert.True(homes.Count == 2 && homes.All(h => h.Count() == 6), $"not split into two halves of 6: {run.Placement()}");

        // The new connection is not stalled: its half is at ground truth while the old connection stays silent.
        var moved = homes.Single(h => h.Key != 0).ToList();
        run.Host.Server.Step(100);
        await GroundTruth.WaitAsync(run.Streamer, run.Host, moved, s_limit, _ => run.Placement());
    }
}
