using System.Collections.Concurrent;
using System.Text;
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
    public async Task OnFrame_DroppedFramesNamingOneBook_ResyncOnlyThatBook()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = ShardRig.Create(queueCapacity: 1, HashPolicy.Verify);
        await rig.Shard.AddAsync(["A", "B"], [], [], ct);

        // The loop has not started, so the queue is full (its wake-up) and every frame is dropped.
        for (var n = 1; n <= 5; n++)
        {
            rig.Shard.OnFrame(PriceChange("A", n), 1, 1);
        }

        await rig.Shard.StartAsync(ct);
        rig.Shard.ApplyRestSnapshot(new BookEvent { Market = "m", AssetId = "A", Timestamp = 1 });
        var seen = new List<StreamEvent>();
        await rig.ReadUntilSnapshotAsync(seen, fromRest: true);

        Assert.Equal(5, rig.Shard.Health.DroppedFrames);
        Assert.Equal(["A"], rig.Owner.Resyncs.Items);
        Assert.Equal("A", Assert.Single(seen.OfType<ResyncRequested>()).AssetId);
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

    [Fact]
    public async Task OnFrame_ShardIdle_ProcessedInlineBeforeOnFrameReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = ShardRig.Create(queueCapacity: 100, HashPolicy.Off);
        await rig.StartWithBookAsync("A", ct);
        await rig.WaitUntilIdleAsync();
        var inlineBefore = rig.Shard.InlineFrames;

        rig.Shard.OnFrame(PriceChange("A", 1), 1, 1);

        // No wait: the reader's own call applied the frame and published its events.
        Assert.True(rig.Events.TryRead(out var applied));
        Assert.Equal(1, Assert.IsType<BookDeltaApplied>(applied).Seq);
        Assert.Equal(inlineBefore + 1, rig.Shard.InlineFrames);
    }

    [Fact]
    public async Task OnFrame_FramePastTheInlineLimit_QueuedForTheLoopEvenWhenIdle()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = ShardRig.Create(queueCapacity: 100, HashPolicy.Off);
        await rig.StartWithBookAsync("A", ct);
        await rig.WaitUntilIdleAsync();
        var inlineBefore = rig.Shard.InlineFrames;
        var levels = string.Join(',', Enumerable.Range(1, 600).Select(i => $$"""{"price":"0.{{i:D4}}","size":"1"}"""));

        var dump = Encoding.UTF8.GetBytes($$"""{"event_type":"book","asset_id":"A","market":"m","bids":[{{levels}}],"asks":[],"timestamp":"2000","hash":"0000000000000000000000000000000000000000"}""");
        Assert.True(dump.Length > MarketShard.MaxInlineFrameBytes);

        rig.Shard.OnFrame(dump, 1, 1);

        var seen = new List<StreamEvent>();
        await rig.ReadUntilSnapshotAsync(seen, fromRest: false);
        Assert.Equal(inlineBefore, rig.Shard.InlineFrames);
        Assert.Equal(600, rig.Shard.Engine.GetOrderBook("A")!.Summary.Bids.Length);
    }

    [Fact]
    public async Task OnFrame_InlineAndQueuedFramesInterleavedWithControlWork_NoneLostAllInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var rig = ShardRig.Create(queueCapacity: 10_000, HashPolicy.Off);
        await rig.StartWithBookAsync("A", ct);
        const int Frames = 2_000;

        // Control work from another thread keeps waking the loop, so frames take both paths.
        var control = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await rig.Shard.AddAsync([$"B{i}"], [], [], ct);
            }
        }, ct);
        for (var n = 1; n <= Frames; n++)
        {
            rig.Shard.OnFrame(PriceChange("A", n), 1, 1);
        }

        await control;
        var deltas = new List<long>();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(SimClient.Timeout);
        while (deltas.Count < Frames && await rig.Events.WaitToReadAsync(limit.Token))
        {
            while (rig.Events.TryRead(out var e))
            {
                if (e is BookDeltaApplied delta)
                {
                    deltas.Add(delta.Seq);
                }
            }
        }

        Assert.Equal(Enumerable.Range(1, Frames).Select(n => (long)n), deltas);
        Assert.Equal("2000", rig.Shard.Engine.GetOrderBook("A")!.Summary.Bids[0].Size.ToString());
        Assert.Equal(0, rig.Shard.Health.DroppedFrames);
    }

    /// <summary>A one-entry <c>price_change</c> setting the bid at 0.4 of <paramref name="assetId"/> to <paramref name="size"/>.</summary>
    private static byte[] PriceChange(string assetId, int size) => Encoding.UTF8.GetBytes(
        $$"""{"market":"m","price_changes":[{"asset_id":"{{assetId}}","price":"0.4","size":"{{size}}","side":"BUY","hash":"0000000000000000000000000000000000000000"}],"timestamp":"1500","event_type":"price_change"}""");

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

        /// <summary>Tracks <paramref name="assetId"/>, starts the loop and bases the book with a socket snapshot (bid 0.4, ask 0.6).</summary>
        public async Task StartWithBookAsync(string assetId, CancellationToken cancellationToken)
        {
            await Shard.AddAsync([assetId], [], [], cancellationToken);
            await Shard.StartAsync(cancellationToken);
            Shard.OnFrame(Encoding.UTF8.GetBytes($$"""{"event_type":"book","asset_id":"{{assetId}}","market":"m","bids":[{"price":"0.4","size":"10"}],"asks":[{"price":"0.6","size":"10"}],"timestamp":"1000","hash":"0000000000000000000000000000000000000000"}"""), 1, 1);
            await ReadUntilSnapshotAsync([], fromRest: false);
        }

        /// <summary>Waits until the loop has parked with nothing to do (it finishes its turn after publishing).</summary>
        public async Task WaitUntilIdleAsync()
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(SimClient.Timeout);
            while (!Shard.IsIdle)
            {
                await Task.Yield();
                limit.Token.ThrowIfCancellationRequested();
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
