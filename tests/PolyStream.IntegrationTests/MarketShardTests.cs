using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Bus;
using PolyStream.Connections;
using PolyStream.Diagnostics;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Sharding;

namespace PolyStream.IntegrationTests;

/// <summary>One <see cref="MarketShard"/> fed by the test, its socket pointed where nothing listens.</summary>
public sealed class MarketShardTests
{
    [Fact]
    public async Task OnFrame_ManyFramesDroppedBeforeTheLoopRuns_ResyncsEachBookOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = ShardRig.Create(queueCapacity: 1, HashPolicy.Verify);
        await rig.Shard.AddAsync(["A", "B"], [], [], ct);

        // The loop has not started, so the queue is full (its wake-up) and every frame is dropped.
        for (var i = 0; i < 5; i++)
        {
            rig.Shard.OnFrame("{}"u8, 1, 1);
        }

        await rig.Shard.StartAsync(ct);
        // Queued after the overflow, so its snapshot event marks the end of the re-base.
        rig.Shard.ApplyRestSnapshot(new BookEvent { Market = "m", AssetId = "A", Timestamp = 1 });
        var seen = new List<StreamEvent>();
        await rig.ReadUntilSnapshotAsync(seen, fromRest: true);

        Assert.Equal(5, rig.Shard.Health.DroppedFrames);
        Assert.Equal(["A", "B"], rig.Owner.Resyncs.Items.Order(StringComparer.Ordinal));
        Assert.Equal(2, seen.Count(e => e is ResyncRequested));
    }

    [Fact]
    public async Task OnFrame_QueuedBytesPastTheBudget_DropsWhateverTheFrameCount()
    {
        await using var rig = ShardRig.Create(queueCapacity: 10_000, HashPolicy.Verify, queueBytes: 10_000);
        var frame = new byte[1_000];

        // The loop has not started: nothing leaves the queue, so the eleventh kilobyte is past the budget.
        for (var i = 0; i < 15; i++)
        {
            rig.Shard.OnFrame(frame, 1, 1);
        }

        Assert.Equal(5, rig.Shard.Health.DroppedFrames);
    }

    [Fact]
    public void Defaults_SocketAndParserFrameLimitsAgree() =>
        Assert.Equal(new WsConfig().MaxFrameBytes, FrameParserOptions.Default.MaxFrameBytes);

    [Fact]
    public async Task ApplyRestSnapshot_ResyncAnswerNewerThanASyncedBook_IsNoStaleStrike()
    {
        var ct = TestContext.Current.CancellationToken;
        // Hashes off: the frames below carry made-up hashes; what is tested is how a REST book is taken.
        await using var rig = ShardRig.Create(queueCapacity: 100, HashPolicy.Off);
        await rig.Shard.AddAsync(["A"], [], [], ct);
        await rig.Shard.StartAsync(ct);
        rig.Shard.OnFrame("""{"event_type":"book","asset_id":"A","market":"m","bids":[{"price":"0.4","size":"10"}],"asks":[{"price":"0.6","size":"10"}],"timestamp":"1000","hash":"0000000000000000000000000000000000000000"}"""u8, 1, 1);

        var seen = new List<StreamEvent>();
        await rig.ReadUntilSnapshotAsync(seen, fromRest: false);

        // A resync answer newer than the synced book, as when the book's frames still wait in the queue
        // (control work goes ahead of queued frames, hence the wait above).
        rig.Shard.ApplyRestSnapshot(new BookEvent
        {
            Market = "m",
            AssetId = "A",
            Timestamp = 2_000,
            Bids = [new PriceLevel(ExactDecimal.Parse("0.41"), ExactDecimal.Parse("5"))],
            Asks = [new PriceLevel(ExactDecimal.Parse("0.6"), ExactDecimal.Parse("10"))],
        });
        await rig.ReadUntilSnapshotAsync(seen, fromRest: true);

        Assert.DoesNotContain(seen, e => e is BookStateChanged { NewState: BookTrustState.Stale });
        Assert.Empty(rig.Owner.Strikes);
        var book = rig.Shard.Engine.GetOrderBook("A")!;
        Assert.Equal((2_000L, BookTrustState.Synced), (book.Summary.Timestamp!.Value, book.State));
    }

    /// <summary>A shard with its bus, metrics and one subscriber; nothing listens on port 1, so every frame comes from the test.</summary>
    private sealed record ShardRig(EventBus Bus, StreamerMetrics Metrics, RecordingOwner Owner, MarketShard Shard, EventSubscriber Events) : IAsyncDisposable
    {
        public static ShardRig Create(int queueCapacity, HashPolicy hashPolicy, long queueBytes = 1L << 40)
        {
            var bus = new EventBus();
            var owner = new RecordingOwner();
            var metrics = new StreamerMetrics(() => default, () => 0, () => 0, owner, bus);
            var ws = new WsConfig { Url = new Uri("ws://127.0.0.1:1/ws/market") };
            var settings = new ShardSettings(ws, BookEngineOptions.Default with { HashPolicy = hashPolicy }, queueCapacity, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5), Recorder: null, TimeProvider.System) { QueueBytes = queueBytes };
            var shard = new MarketShard(0, settings, bus, owner, new VenueEventTranslator(new MarketEventGate(), userChannel: false), new BookMetadataCache(), metrics, NullLoggerFactory.Instance);
            return new ShardRig(bus, metrics, owner, shard, bus.Subscribe());
        }

        /// <summary>Reads into <paramref name="seen"/> until a snapshot from REST (or, when <paramref name="fromRest"/> is <see langword="false"/>, from the socket) is among it.</summary>
        public async Task ReadUntilSnapshotAsync(List<StreamEvent> seen, bool fromRest)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(SimClient.Timeout);
            while (!seen.Any(e => e is BookSnapshotApplied s && s.FromRest == fromRest) && await Events.WaitToReadAsync(limit.Token))
            {
                while (Events.TryRead(out var e))
                {
                    seen.Add(e);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Events.DisposeAsync();
            await Shard.DisposeAsync();
            Metrics.Dispose();
            await Bus.DisposeAsync();
        }
    }

    /// <summary>An owner that records what the shard asks of it.</summary>
    private sealed class RecordingOwner : IShardOwner, IOrderBookSource
    {
        public Signals<string> Resyncs { get; } = new();

        public ConcurrentDictionary<string, int> Strikes { get; } = new(StringComparer.Ordinal);

        public void RequestResync(string assetId) => Resyncs.Add(assetId);

        public void RequestWitness(string assetId)
        {
        }

        public void RequestRelocation(string assetId)
        {
        }

        public int AddStaleStrike(string assetId) => Strikes.AddOrUpdate(assetId, 1, static (_, count) => count + 1);

        public void ClearStaleStrikes(string assetId) => Strikes.TryRemove(assetId, out _);

        public BookView? GetOrderBook(string assetId) => null;

        public IReadOnlyList<BookView> GetAllOrderBooks() => [];
    }
}
