using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Diagnostics;
using PolyStream.Protocol;
using PolyStream.Streaming;

namespace PolyStream.IntegrationTests;

public sealed class MarketShardOverflowTests
{
    [Fact]
    public async Task OnFrame_ManyFramesDroppedBeforeTheLoopRuns_ResyncsEachBookOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = new StreamerConfig { ShardQueueCapacity = 1 };
        await using var streamer = new Streamer(config);
        await using var bus = new EventBus();
        using var metrics = new StreamerMetrics(streamer, bus);
        var resyncs = new Signals<string>();
        // Nothing listens on port 1: the connection keeps retrying while the shard's loop works.
        var ws = new WsConfig { Url = new Uri("ws://127.0.0.1:1/ws/market") };
        var shard = new MarketShard(0, config, ws, bus, resyncs.Add, _ => { }, _ => Task.CompletedTask, new System.Collections.Concurrent.ConcurrentDictionary<string, int>(), metrics, NullLoggerFactory.Instance);
        await using var shardScope = shard;
        await using var events = bus.Subscribe();
        await shard.AddAsync(["A", "B"], [], ct);

        // The loop has not started, so the queue is full (its wake-up) and every frame is dropped.
        for (var i = 0; i < 5; i++)
        {
            shard.OnFrame("{}"u8, 1, 1);
        }

        await shard.StartAsync(ct);
        // Queued after the overflow, so its snapshot event marks the end of the re-base.
        shard.ApplyRestSnapshot(new BookEvent { Market = "m", AssetId = "A", Timestamp = 1 });
        var seen = new List<StreamEvent>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(SimClient.Timeout);
        while (!seen.Any(e => e is BookSnapshotApplied { Source: SnapshotSource.Rest }) && await events.WaitToReadAsync(limit.Token))
        {
            while (events.TryRead(out var e))
            {
                seen.Add(e);
            }
        }

        Assert.Equal(5, shard.Health.DroppedFrames);
        Assert.Equal(["A", "B"], resyncs.Items.Order(StringComparer.Ordinal));
        Assert.Equal(2, seen.Count(e => e is ResyncRequested));
    }
}
