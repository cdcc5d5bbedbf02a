using System.Diagnostics;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using PolyStream.Connections;
using PolyStream.Events;
using PolyStream.Nats;
using PolyStream.Resync;
using PolyStream.Simulator;

namespace PolyStream.ToolTests;

/// <summary>The scale-out on a real nats-server: nodes share the universe, a replica rebuilds exact books, failures show as epochs.</summary>
public sealed class ScaleOutTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(30);

    private static NatsScaleOutOptions Options(NatsServerProcess nats, string node) => new()
    {
        Url = nats.Url,
        NodeId = node,
        LeasePeriod = TimeSpan.FromSeconds(3),
        SnapshotInterval = TimeSpan.FromMilliseconds(200),
    };

    private static StreamerConfig Config() => new()
    {
        Ws = new WsConfig { ReconnectBaseDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200), PingInterval = TimeSpan.FromSeconds(1) },
        ConnectInterval = TimeSpan.FromMilliseconds(10),
        Resync = new ResyncOptions { RetryDelay = TimeSpan.FromMilliseconds(100) },
    };

    /// <summary>A streamer and the node that shares the universe through it, in this process.</summary>
    private sealed record LocalNode(Streamer Streamer, NatsNode Node) : IAsyncDisposable
    {
        public static async Task<LocalNode> StartAsync(SimHost host, string[] universe, NatsScaleOutOptions options, CapturingLoggerFactory? logs = null, bool hashTrades = false)
        {
            var streamer = new Streamer(Config() with { HashTrades = hashTrades });
            await streamer.StartAsync(host.Server.BaseUrl, cancellationToken: TestContext.Current.CancellationToken);
            return new LocalNode(streamer, await NatsNode.StartAsync(streamer, universe, options, logs, cancellationToken: TestContext.Current.CancellationToken));
        }

        public int SyncedBooks => Streamer.GetAllOrderBooks().Count(b => b.IsSynced);

        public async ValueTask DisposeAsync()
        {
            await Node.DisposeAsync();
            await Streamer.DisposeAsync();
        }
    }


    /// <summary>
    /// For a failed ground-truth wait: how the publishing streamers see the books that were behind, what each
    /// node and replica counted, and the log lines about those books, so a failure seen once in CI says which
    /// side stopped.
    /// </summary>
    private static Func<IReadOnlyList<string>, string> Explain(IEnumerable<LocalNode> nodes, IEnumerable<NatsBookReplica> replicas, CapturingLoggerFactory logs) => behind =>
    {
        var lines = new List<string>();
        foreach (var local in nodes)
        {
            lines.Add($"node {local.Node.Counts}; sink queue {local.Node.SinkQueue}");
            lines.AddRange(behind.Select(t => local.Streamer.GetOrderBook(t)).OfType<BookView>()
                .Select(v => $"  streamer {v.AssetId[..12]}…: {v.State} {v.Epoch}:{v.Seq} ts {v.Summary.Timestamp}"));
        }

        lines.AddRange(replicas.Select(r => $"replica {r.Counts}"));
        lines.AddRange(logs.Lines.Where(l => behind.Any(l.Contains) || l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).Take(30));
        return string.Join('\n', lines);
    };

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > s_limit)
            {
                Assert.Fail($"not within {s_limit}: {what}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task TwoNodes_Split100Assets_WithNoOverlapAndNoGap_AndAReplicaEqualsGroundTruth()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 50, Seed = 31, MarketLifecycle = false });
        var tokens = host.AllTokens();
        var logs = new CapturingLoggerFactory();
        await using var a = await LocalNode.StartAsync(host, tokens, Options(nats, "node-a"), logs);
        // One node's trades are hashed by its engine, the other's rebuilt by its sink: the replica proves both.
        await using var b = await LocalNode.StartAsync(host, tokens, Options(nats, "node-b"), logs, hashTrades: true);
        var (nodeA, nodeB, streamerA, streamerB) = (a.Node, b.Node, a.Streamer, b.Streamer);
        Assert.Single(logs.Lines, line => line.Contains("NatsNode 7007: The streamer does not hash trades", StringComparison.Ordinal));

        await WaitUntilAsync(() => nodeA.OwnedSlots.Count == 16 && nodeB.OwnedSlots.Count == 16, "16 slots each");
        Assert.Empty(nodeA.OwnedAssets.Intersect(nodeB.OwnedAssets));
        Assert.Equal(tokens.Order(), nodeA.OwnedAssets.Union(nodeB.OwnedAssets).Order());
        await WaitUntilAsync(() => streamerA.GetAllOrderBooks().Count == nodeA.OwnedAssets.Count && streamerB.GetAllOrderBooks().Count == nodeB.OwnedAssets.Count, "each streamer streams exactly what its node owns");
        Assert.Empty(streamerA.GetAllOrderBooks().Select(b => b.AssetId).Intersect(streamerB.GetAllOrderBooks().Select(b => b.AssetId)));

        await using var replica = await NatsBookReplica.StartAsync(Options(nats, "replica"), loggerFactory: logs, cancellationToken: TestContext.Current.CancellationToken);
        var explain = Explain([a, b], [replica], logs);
        for (var checkpoint = 0; checkpoint < 3; checkpoint++)
        {
            host.Server.Step(1_000);
            await GroundTruth.WaitAsync(replica, host, tokens, s_limit, explain);
        }

        // Events, not messages: since bus schema v2 a message is a batch, as many as the sink's rounds.
        Assert.True(nodeA.Counts.Published + nodeB.Counts.Published > 3_000, $"{nodeA.Counts} {nodeB.Counts} {replica.Counts}");
        Assert.Equal(0, replica.Counts.Divergences);
        Assert.True(replica.Counts.Unreadable == 0, string.Join('\n', logs.Lines.Where(l => l.Contains("Replica", StringComparison.Ordinal)).Take(5)));

        // A node that stops cleanly hands its slots back; the other takes them at its next look.
        await nodeA.DisposeAsync();
        await WaitUntilAsync(() => nodeB.OwnedSlots.Count == 32 && b.SyncedBooks == tokens.Length, "node-b streams every asset after node-a stopped");
        host.Server.Step(500);
        await GroundTruth.WaitAsync(replica, host, tokens, s_limit, Explain([b], [replica], logs));
    }

    [Fact]
    public async Task AThirdNodeJoining_GetsItsShare_AndNoAssetIsOwnedTwice()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 30, Seed = 36, MarketLifecycle = false });
        var tokens = host.AllTokens();
        var locals = new List<LocalNode>();
        try
        {
            foreach (var name in (string[])["node-a", "node-b", "node-c"])
            {
                locals.Add(await LocalNode.StartAsync(host, tokens, Options(nats, name)));
                var nodes = locals.Select(l => l.Node).ToList();
                var expected = nodes.Count;
                await WaitUntilAsync(() => nodes.All(n => n.OwnedSlots.Count >= 32 / expected) && nodes.Sum(n => n.OwnedSlots.Count) == 32, $"{expected} nodes sharing 32 slots: {string.Join(", ", nodes.Select(n => n.OwnedSlots.Count))}");
            }

            Assert.Equal([10, 11, 11], locals.Select(l => l.Node.OwnedSlots.Count).Order());
            Assert.Equal(32, locals.SelectMany(l => l.Node.OwnedSlots).Distinct().Count());
            Assert.Equal(tokens.Order(), locals.SelectMany(l => l.Node.OwnedAssets).Order());
            await WaitUntilAsync(() => locals.All(l => l.Streamer.GetAllOrderBooks().Count == l.Node.OwnedAssets.Count), "each streamer streams exactly what its node owns");
        }
        finally
        {
            foreach (var local in locals)
            {
                await local.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task DaemonKilled_TheOtherOwnsEveryAssetWithinTheLeasePeriod_AndTheReplicaSeesANewEpoch()
    {
        var leasePeriod = TimeSpan.FromSeconds(4);
        await using var nats = await NatsServerProcess.StartAsync();
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 50, Seed = 32, MarketLifecycle = false });
        var tokens = host.AllTokens();
        var folder = Directory.CreateTempSubdirectory("polystream-scaleout-").FullName;
        using var nodeA = StartDaemon(folder, "node-a", nats.Url, host, tokens, leasePeriod);
        using var nodeB = StartDaemon(folder, "node-b", nats.Url, host, tokens, leasePeriod);
        try
        {
            await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
            var leases = await LeaseHolders.BucketAsync(connection, s_limit);
            await LeaseHolders.WaitForAsync(leases, holders => holders.Count == 32 && holders.Values.Count(h => h.StartsWith("node-a-", StringComparison.Ordinal)) == 16, "both daemons hold 16 slots", s_limit);

            await using var replica = await NatsBookReplica.StartAsync(Options(nats, "replica") with { LeasePeriod = leasePeriod }, cancellationToken: TestContext.Current.CancellationToken);
            host.Server.Step(500);
            await GroundTruth.WaitAsync(replica, host, tokens, s_limit);
            // Waited for, not read once: a key renewed or re-taken just then can be missing from one listing.
            var holders = await LeaseHolders.WaitForAsync(leases, h => h.Count == 32, "every slot held", s_limit);
            var fromA = tokens.Where(t => holders[BusNames.SlotOf(t, 32)].StartsWith("node-a-", StringComparison.Ordinal)).ToList();
            var epochsBefore = fromA.ToDictionary(t => t, t => replica.GetOrderBook(t)!.Epoch);

            nodeA.Kill();
            var killed = Stopwatch.StartNew();
            await LeaseHolders.WaitForAsync(leases, h => h.Count == 32 && h.Values.All(p => p.StartsWith("node-b-", StringComparison.Ordinal)), "node-b holds every slot", s_limit);
            var takeover = killed.Elapsed;
            TestContext.Current.TestOutputHelper?.WriteLine($"node-b held every slot {takeover.TotalMilliseconds:F0} ms after node-a was killed (lease period {leasePeriod.TotalMilliseconds:F0} ms)");
            // By design the survivor holds every slot within 0.8 lease periods (the dead node's keys age out at 70 %,
            // rounds come every 10 %; 2.5-2.9 s here for 4 s, printed above). What this test sees also includes its
            // own polling of 33 keys, which on a 2-core machine busy with a parallel build added over a second
            // (4.45 s once): it fails a takeover that needs a second lease period, and the figure is documented.
            Assert.True(takeover <= 2 * leasePeriod, $"takeover took {takeover}");

            host.Server.Step(500);
            await GroundTruth.WaitAsync(replica, host, tokens, s_limit);
            Assert.All(fromA, t => Assert.True(replica.GetOrderBook(t)!.Epoch > epochsBefore[t], $"{t}: epoch {replica.GetOrderBook(t)!.Epoch} after {epochsBefore[t]}"));
            Assert.Equal(0, replica.Counts.Divergences);
        }
        finally
        {
            nodeA.Kill();
            nodeB.Kill();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task NatsServerRestarted_TheSinkAndAReplicaResume_AndNothingAcknowledgedIsLost()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 10, Seed = 33, MarketLifecycle = false });
        var tokens = host.AllTokens();
        var options = Options(nats, "node-a") with { LeasePeriod = TimeSpan.FromSeconds(10) };
        var logs = new CapturingLoggerFactory();
        await using var local = await LocalNode.StartAsync(host, tokens, options, logs);
        var node = local.Node;
        await WaitUntilAsync(() => local.SyncedBooks == tokens.Length, "the node streams every asset");
        host.Server.Step(500);
        await WaitUntilAsync(() => node.Counts.Published > 500, "events published");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var (acknowledged, published) = (node.Counts.LastAcknowledged, node.Counts.Published);
        await using var follower = await NatsBookReplica.StartAsync(options, loggerFactory: logs, cancellationToken: TestContext.Current.CancellationToken);
        await GroundTruth.WaitAsync(follower, host, tokens, s_limit, Explain([local], [follower], logs));

        // Events keep coming while the server is down; the sink waits for it (the client buffers) and catches up.
        nats.Stop();
        host.Server.Step(500);
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        await nats.RestartAsync();
        host.Server.Step(500);
        // Counted in events: a message holds a batch of them, so the stream's sequence moves by far fewer.
        await WaitUntilAsync(() => node.Counts.LastAcknowledged > acknowledged && node.Counts.Published > published + 100, $"the sink publishing again after the restart (acknowledged {acknowledged}, {published} events, now {node.Counts})");

        await using (var connection = new NatsConnection(new NatsOpts { Url = nats.Url }))
        {
            var stream = await new NatsJSContext(connection).GetStreamAsync(options.StreamName, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(1UL, stream.Info.State.FirstSeq);
            Assert.True((ulong)stream.Info.State.Messages >= acknowledged, $"{stream.Info.State.Messages} messages kept, {acknowledged} were acknowledged before the restart");
        }

        // A replica started after the restart bootstraps from KV; one that was following rides it out.
        await using var replica = await NatsBookReplica.StartAsync(options, loggerFactory: logs, cancellationToken: TestContext.Current.CancellationToken);
        host.Server.Step(200);
        await GroundTruth.WaitAsync(replica, host, tokens, s_limit, Explain([local], [replica], logs));
        await GroundTruth.WaitAsync(follower, host, tokens, s_limit, Explain([local], [follower], logs));
        Assert.Equal(0, replica.Counts.Divergences + follower.Counts.Divergences);
    }

    [Fact]
    public async Task MarketEventsReachingBothNodes_AreStoredOnce()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 20, Seed = 37, MarketLifecycle = false });
        var tokens = host.AllTokens();
        await using var a = await LocalNode.StartAsync(host, tokens, Options(nats, "node-a"));
        await using var b = await LocalNode.StartAsync(host, tokens, Options(nats, "node-b"));
        await WaitUntilAsync(() => a.Node.OwnedSlots.Count == 16 && b.Node.OwnedSlots.Count == 16 && a.SyncedBooks + b.SyncedBooks == tokens.Length, "both nodes stream their half");

        // A market whose two tokens are streamed by different nodes: both receive its market_resolved.
        var split = host.Server.Engine.Markets.First(m => a.Node.OwnedAssets.Contains(m.YesTokenId) != a.Node.OwnedAssets.Contains(m.NoTokenId));
        host.Server.Resolve(split.ConditionId);
        var listed = host.Server.List().Single().Market;
        await WaitUntilAsync(async () => await StoredOfAsync(nats, "market_resolved") + await StoredOfAsync(nats, "new_market") >= 2, "both events stored");
        await Task.Delay(500, TestContext.Current.CancellationToken); // time for a second copy to arrive, if one were kept

        Assert.Equal(1, await StoredOfAsync(nats, "market_resolved"));
        Assert.Equal(1, await StoredOfAsync(nats, "new_market"));
        Assert.Equal(0, a.Node.Counts.Retried + b.Node.Counts.Retried); // the second copy was taken as stored, not retried
        var (code, output, error) = await CliRunner.RunAsync("stream", "--nats", nats.Url, "--from-start", "--json", "--duration", "2s");
        Assert.True(code == 0, error);
        var lifecycle = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("type").GetString() is "new_market" or "market_resolved").ToList();
        Assert.Equal([split.ConditionId, listed], lifecycle.Select(e => e.GetProperty("market").GetString()));
    }

    /// <summary>How many messages of one event type the stream holds.</summary>
    private static async Task<long> StoredOfAsync(NatsServerProcess nats, string eventName)
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var stream = await new NatsJSContext(connection).GetStreamAsync("POLYSTREAM", new StreamInfoRequest { SubjectsFilter = $"polystream.{eventName}.>" }, TestContext.Current.CancellationToken);
        return stream.Info.State.Subjects?.Values.Sum() ?? 0;
    }

    [Fact]
    public async Task StreamNats_ReadsBackWhatTheNodePublished_FilteredByAsset_AndExplainsAMissingServerOrStream()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 3, Seed = 34, MarketLifecycle = false });
        var tokens = host.AllTokens();
        await using var local = await LocalNode.StartAsync(host, tokens, Options(nats, "node-a"));
        await WaitUntilAsync(() => local.SyncedBooks == tokens.Length, "the node streams every asset");
        host.Server.Step(200);
        await WaitUntilAsync(() => local.Node.Counts.Published > 100, "events published");

        var (code, output, error) = await CliRunner.RunAsync("stream", "--nats", nats.Url, "--asset", tokens[0], "--from-start", "--json", "--duration", "2s");

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("\"type\":\"book_snapshot\"", StringComparison.Ordinal));
        Assert.All(lines, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(1, json.RootElement.GetProperty("v").GetInt32());
            Assert.Equal(tokens[0], json.RootElement.GetProperty("asset_id").GetString());
            Assert.StartsWith("node-a-", json.RootElement.GetProperty("node").GetString(), StringComparison.Ordinal);
        });

        var wrongStream = await CliRunner.RunAsync("stream", "--nats", nats.Url, "--nats-stream", "NOPE", "--duration", "1s");
        Assert.Equal(1, wrongStream.ExitCode);
        Assert.Contains("there is no stream 'NOPE'", wrongStream.Error, StringComparison.Ordinal);
        nats.Stop();
        var noServer = await CliRunner.RunAsync("stream", "--nats", nats.Url, "--duration", "1s");
        Assert.Equal(1, noServer.ExitCode);
        Assert.Contains("Is nats-server running", noServer.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_NatsUnreachable_StopsWithExitOneAndSaysWhy()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1, Seed = 35, MarketLifecycle = false });
        var folder = Directory.CreateTempSubdirectory("polystream-scaleout-").FullName;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        try
        {
            using var daemon = StartDaemon(folder, "node-a", "nats://127.0.0.1:1", host, host.AllTokens(), TimeSpan.FromSeconds(4), output);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(s_limit);
            await daemon.WaitForExitAsync(timeout.Token);

            Assert.Equal(1, daemon.ExitCode);
            Assert.Contains(output, l => l.Contains("\"EventId\":6003", StringComparison.Ordinal) && l.Contains("nats://127.0.0.1:1", StringComparison.Ordinal) && l.Contains("is nats-server running", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Process StartDaemon(string folder, string node, string natsUrl, SimHost host, string[] tokens, TimeSpan leasePeriod, System.Collections.Concurrent.ConcurrentQueue<string>? output = null) =>
        DaemonProcess.Start(
            folder,
            node,
            new
            {
                Host = host.Server.BaseUrl.ToString(),
                Assets = tokens,
                StatusPort = 0,
                CheckpointIntervalSeconds = 0,
                StatusIntervalSeconds = 1,
                DataDir = Path.Combine(folder, node),
                Nats = new { Url = natsUrl, NodeId = node, LeasePeriodSeconds = leasePeriod.TotalSeconds, SnapshotIntervalSeconds = 0.2 },
            },
            output);
}
