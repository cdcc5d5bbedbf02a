using PolyStream.Nats;
using PolyStream.Simulator;
using PolyStream.Streaming;

namespace PolyStream.IntegrationTests;

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

    private static string[] AllTokens(SimHost host) =>
        [.. host.Server.Engine.Markets.SelectMany(m => new[] { m.YesTokenId, m.NoTokenId })];

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > s_limit)
            {
                Assert.Fail($"not within {s_limit}: {what}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitForReplicaAtGroundTruthAsync(NatsBookReplica replica, SimHost host, string[] tokens)
    {
        string Behind() => string.Join(", ", tokens
            .Where(t => replica.GetOrderBook(t) is not { IsSynced: true } view || !host.Server.GetBook(t)!.HasSameContent(view.Summary))
            .Take(3)
            .Select(t => $"{t[..8]}: {replica.GetOrderBook(t)?.State} {replica.GetOrderBook(t)?.Epoch}:{replica.GetOrderBook(t)?.Seq}"));
        await WaitUntilAsync(() => Behind().Length == 0, $"replica at ground truth; behind: {Behind()}; {replica.Counts}");
    }

    [Fact]
    public async Task TwoNodes_Split100Assets_WithNoOverlapAndNoGap_AndAReplicaEqualsGroundTruth()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 50, Seed = 31, MarketLifecycle = false });
        var tokens = AllTokens(host);
        await using var streamerA = new Streamer(Config());
        await using var streamerB = new Streamer(Config());
        await streamerA.StartAsync(host.Server.BaseUrl, cancellationToken: TestContext.Current.CancellationToken);
        await streamerB.StartAsync(host.Server.BaseUrl, cancellationToken: TestContext.Current.CancellationToken);
        await using var nodeA = await NatsNode.StartAsync(streamerA, tokens, Options(nats, "node-a"), cancellationToken: TestContext.Current.CancellationToken);
        await using var nodeB = await NatsNode.StartAsync(streamerB, tokens, Options(nats, "node-b"), cancellationToken: TestContext.Current.CancellationToken);

        await WaitUntilAsync(() => nodeA.OwnedSlots.Count == 16 && nodeB.OwnedSlots.Count == 16, "16 slots each");
        Assert.Empty(nodeA.OwnedAssets.Intersect(nodeB.OwnedAssets));
        Assert.Equal(tokens.Order(), nodeA.OwnedAssets.Union(nodeB.OwnedAssets).Order());
        await WaitUntilAsync(() => streamerA.GetAllOrderBooks().Count == nodeA.OwnedAssets.Count && streamerB.GetAllOrderBooks().Count == nodeB.OwnedAssets.Count, "each streamer streams exactly what its node owns");
        Assert.Empty(streamerA.GetAllOrderBooks().Select(b => b.AssetId).Intersect(streamerB.GetAllOrderBooks().Select(b => b.AssetId)));

        var logs = new CapturingLoggerFactory();
        await using var replica = await NatsBookReplica.StartAsync(Options(nats, "replica"), loggerFactory: logs, cancellationToken: TestContext.Current.CancellationToken);
        for (var checkpoint = 0; checkpoint < 3; checkpoint++)
        {
            host.Server.Step(1_000);
            await WaitForReplicaAtGroundTruthAsync(replica, host, tokens);
        }

        Assert.True(replica.Counts.Messages > 3_000, $"{replica.Counts}");
        Assert.Equal(0, replica.Counts.Divergences);
        Assert.True(replica.Counts.Unreadable == 0, string.Join('\n', logs.Lines.Take(5)));
    }
}
