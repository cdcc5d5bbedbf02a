using Microsoft.Extensions.Logging;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;
using PolyStream.Recording;
using static PolyStream.Tests.TestSupport.TestEvents;

namespace PolyStream.Tests.Engine;

/// <summary>The engine and the bus together, and the bus under concurrent publishers.</summary>
public sealed class BookEnginePipelineTests
{
    [Fact]
    public async Task Process_ConflatingSubscriber_EndsWithEveryBooksLatestView()
    {
        await using var h = new BookEngineHarness(null, "A", "B");
        await using var ui = h.Bus.Subscribe(new SubscriberOptions { Capacity = 4, Overflow = OverflowPolicy.Conflate });
        h.Venue.WithBook("A", "B");
        h.Feed(h.Venue.BookFrame("A", 1000));
        h.Feed(h.Venue.BookFrame("B", 1000));

        for (var i = 1; i <= 200; i++)
        {
            h.Feed(h.Venue.ChangeFrame(1000 + i, [("A", Side.Buy, "0.41", $"{i}"), ("B", Side.Sell, "0.59", $"{i}")]));
            var traded = i % 2 == 0 ? "A" : "B";
            h.Venue.Trade(traded, "0.5");
            h.Feed(Venue.TradeFrame(traded, "0.5", 1000 + i));
        }

        var seen = Drain(ui);
        var latest = new Dictionary<string, BookView>();
        foreach (var state in seen.OfType<BookStateEvent>())
        {
            latest[state.AssetId!] = state.Book;
        }

        Assert.Same(h.Engine.GetOrderBook("A"), latest["A"]);
        Assert.Same(h.Engine.GetOrderBook("B"), latest["B"]);
        Assert.Equal((BookTrustState.Synced, 200L), (latest["A"].State, latest["A"].Seq));
        Assert.True(ui.Counts.Dropped > 0);
        Assert.Equal(ui.Counts.Dropped, seen.OfType<Lagged>().Sum(l => l.Count));
    }

    [Fact]
    public async Task Replayer_BlockSubscriber_PacesTheReplay()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("polystream-pace-").FullName;
        try
        {
            await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = directory, Assets = ["A"] }))
            {
                writer.Append(new Venue().WithBook("A").BookFrame("A", 1000), 1_000_000, 0);
            }

            await using var replayer = new Replayer(directory);
            await using var replay = replayer.Subscribe(new SubscriberOptions { Capacity = 1, Overflow = OverflowPolicy.Block });

            // A snapshot yields two events (applied, state changed); the second must wait for room.
            var running = replayer.RunAsync(ct);
            Assert.False(running.IsCompleted);

            Assert.True(await replay.WaitToReadAsync(ct).AsTask().WaitAsync(WaitLimit, ct));
            Assert.True(replay.TryRead(out var first));
            var result = await running.WaitAsync(WaitLimit, ct);
            Assert.True(replay.TryRead(out var second));

            Assert.IsType<BookSnapshotApplied>(first);
            Assert.Equal(BookTrustState.Synced, Assert.IsType<BookStateChanged>(second).NewState);
            Assert.Equal((1L, 1L, 0L), (result.Frames, result.HashesChecked, result.HashMismatches));
            Assert.Equal(0, replay.Counts.Dropped);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Untrack_TrackedAsset_StopsKeepingItsBook()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));

        Assert.True(h.Engine.Untrack("A"));
        Assert.Empty(h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "3")));

        Assert.Null(h.Engine.GetOrderBook("A"));
        Assert.False(h.Engine.IsTracked("A"));
        Assert.Equal(1, h.Engine.Counts.Untracked);
        Assert.False(h.Engine.Untrack("A"));
        Assert.True(h.Engine.Track("A"));
        Assert.Equal((BookTrustState.Unsynced, 0L), (h.View("A").State, h.View("A").Epoch));
    }

    [Fact]
    public async Task Process_Mismatch_LogsWithTheStableBookEventIds()
    {
        var logger = new ListLogger();
        await using var bus = new EventBus(logger: logger);
        await using var events = bus.Subscribe();
        var engine = new BookEngine(bus, logger: logger);
        engine.Track("A");
        var venue = new Venue().WithBook("A");
        engine.Process(venue.BookFrame("A", 1000), 1);

        engine.Process(venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "3", badHash: true), 2);
        engine.Process("{oops"u8, 3);

        var ids = logger.Entries.Select(e => e.Id).ToList();
        Assert.Contains(2101, ids);
        Assert.Contains(3002, ids);
        Assert.Contains(3003, ids);
        Assert.Contains(3004, ids);
        Assert.Contains((3001, LogLevel.Warning), logger.Entries);
    }

    [Fact]
    public async Task Process_ResyncCallbackThrows_IsLoggedAndTheEngineCarriesOn()
    {
        var logger = new ListLogger();
        await using var bus = new EventBus();
        await using var events = bus.Subscribe();
        var engine = new BookEngine(bus, resyncRequested: _ => throw new InvalidOperationException("scheduler down"), logger: logger);
        engine.Track("A");
        var venue = new Venue().WithBook("A");
        engine.Process(venue.BookFrame("A", 1000), 1);

        engine.Process(venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "3", badHash: true), 2);

        Assert.Equal(BookTrustState.Resyncing, engine.GetOrderBook("A")!.State);
        Assert.Contains((3006, LogLevel.Error), logger.Entries);
        Assert.Contains(Drain(events), e => e is ResyncRequested);
    }

    [Fact]
    public async Task Process_EventThatFailsUnexpectedly_IsSkippedCountedAndTheRestStillApplied()
    {
        var logger = new ListLogger();
        await using var h = new BookEngineHarness(null, "A");
        var engine = new BookEngine(h.Bus, logger: logger);
        engine.Track("A");
        var venue = new Venue().WithBook("A");
        var snapshot = (BookEvent)new FrameParser().Parse(venue.BookFrame("A", 1000)).Events[0];
        WireEvent[] events = [new BookEvent { Market = Venue.Market, AssetId = null! }, snapshot];

        engine.Process(events, 1);

        Assert.Equal(1, engine.Counts.Faults);
        Assert.Contains((3007, LogLevel.Error), logger.Entries);
        Assert.Equal(BookTrustState.Synced, engine.GetOrderBook("A")!.State);
    }
}
