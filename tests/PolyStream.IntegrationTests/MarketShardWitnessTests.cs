using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Diagnostics;
using PolyStream.Protocol;
using PolyStream.Streaming;

namespace PolyStream.IntegrationTests;

public sealed class MarketShardWitnessTests
{
    [Fact]
    public async Task ApplyRestSnapshot_ResyncAnswerNewerThanASyncedBook_IsNoStaleStrike()
    {
        var ct = TestContext.Current.CancellationToken;
        // Hashes off: the frames below carry made-up hashes; what is tested is how a REST book is taken.
        var config = new StreamerConfig { HashPolicy = HashPolicy.Off };
        await using var streamer = new Streamer(config);
        await using var bus = new EventBus();
        using var metrics = new StreamerMetrics(streamer, bus);
        var strikes = new ConcurrentDictionary<string, int>();
        // Nothing listens on port 1: the frames come from the test, not a socket.
        var ws = new WsConfig { Url = new Uri("ws://127.0.0.1:1/ws/market") };
        var shard = new MarketShard(0, config, ws, bus, _ => { }, _ => { }, _ => Task.CompletedTask, strikes, metrics, NullLoggerFactory.Instance);
        await using var shardScope = shard;
        await using var events = bus.Subscribe();
        await shard.AddAsync(["A"], [], ct);
        await shard.StartAsync(ct);
        shard.OnFrame("""{"event_type":"book","asset_id":"A","market":"m","bids":[{"price":"0.4","size":"10"}],"asks":[{"price":"0.6","size":"10"}],"timestamp":"1000","hash":"0000000000000000000000000000000000000000"}"""u8, 1, 1);

        var seen = new List<StreamEvent>();
        await ReadUntilAsync(events, seen, SnapshotSource.WebSocket, ct);

        // A resync answer newer than the synced book, as when the book's frames still wait in the queue
        // (control work goes ahead of queued frames, hence the wait above).
        shard.ApplyRestSnapshot(new BookEvent
        {
            Market = "m",
            AssetId = "A",
            Timestamp = 2_000,
            Bids = [new PriceLevel(ExactDecimal.Parse("0.41"), ExactDecimal.Parse("5"))],
            Asks = [new PriceLevel(ExactDecimal.Parse("0.6"), ExactDecimal.Parse("10"))],
        });
        await ReadUntilAsync(events, seen, SnapshotSource.Rest, ct);

        Assert.DoesNotContain(seen, e => e is BookStateChanged { NewState: BookTrustState.Stale });
        Assert.Empty(strikes);
        var book = shard.Engine.GetOrderBook("A")!;
        Assert.Equal((2_000L, BookTrustState.Synced), (book.Summary.Timestamp!.Value, book.State));
    }

    private static async Task ReadUntilAsync(EventSubscriber events, List<StreamEvent> seen, SnapshotSource source, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(SimClient.Timeout);
        while (!seen.Any(e => e is BookSnapshotApplied s && s.Source == source) && await events.WaitToReadAsync(limit.Token))
        {
            while (events.TryRead(out var e))
            {
                seen.Add(e);
            }
        }
    }
}
