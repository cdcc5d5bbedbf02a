using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Tests.Engine;

public sealed class BookEngineTests
{
    private static readonly StreamEventKind[] s_mismatchThenResync =
    [
        StreamEventKind.BookDelta,
        StreamEventKind.HashMismatch,
        StreamEventKind.BookStateChanged,
        StreamEventKind.ResyncRequested,
        StreamEventKind.BookStateChanged,
    ];

    private static async Task<BookEngineHarness> SyncedAsync(BookEngineOptions? options = null)
    {
        var h = new BookEngineHarness(options, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));
        Assert.Equal(BookTrustState.Synced, h.View("A").State);
        await Task.CompletedTask;
        return h;
    }

    [Fact]
    public async Task Process_DeltaBeforeSnapshot_IsGatedUntilTheSnapshot()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");

        var early = h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "70"));

        Assert.Empty(early);
        Assert.Equal(1, h.Engine.Counts.GatedDeltas);
        Assert.Equal(BookTrustState.Unsynced, h.View("A").State);
        Assert.Empty(h.View("A").Summary.Bids);

        var snapshot = h.Feed(h.Venue.BookFrame("A", 1002));

        Assert.Equal([StreamEventKind.BookSnapshot, StreamEventKind.BookStateChanged], snapshot.Select(e => e.Kind));
        var applied = Assert.IsType<BookSnapshotApplied>(snapshot[0]);
        Assert.Equal(HashOutcome.Matched, applied.Hash.Outcome);
        Assert.Equal(BookTrustState.Synced, applied.Book.State);
        var changed = Assert.IsType<BookStateChanged>(snapshot[1]);
        Assert.Equal((BookTrustState.Unsynced, BookTrustState.Synced, BookStateReason.Snapshot), (changed.OldState, changed.NewState, changed.Reason));
        Assert.Equal("70", h.View("A").Summary.Bids.Single(l => l.Price.ToString() == "0.45").Size.ToString());

        var delta = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Sell, "0.55", "0"))));
        Assert.Equal(HashOutcome.Matched, delta.Hash.Outcome);
        Assert.DoesNotContain(delta.Book.Summary.Asks, l => l.Price.ToString() == "0.55");
    }

    [Fact]
    public async Task Process_DeltasAndASnapshotThatAgrees_CountSeqWithinOneEpoch()
    {
        await using var h = await SyncedAsync();
        Assert.Equal((1L, 0L), (h.View("A").Epoch, h.View("A").Seq));

        var deltas = new List<StreamEvent>();
        deltas.AddRange(h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "5")));
        deltas.AddRange(h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.42", "5")));
        deltas.AddRange(h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Sell, "0.7", "5")));

        Assert.All(deltas, e => Assert.Equal(HashOutcome.Matched, Assert.IsType<BookDeltaApplied>(e).Hash.Outcome));
        Assert.Equal([(1L, 1L), (1L, 2L), (1L, 3L)], deltas.Select(e => (e.Epoch, e.Seq)));
        Assert.Equal([1L, 2L, 3L], deltas.Select(e => ((BookDeltaApplied)e).Book.Seq));

        // The venue sends a full book after trades: it holds the levels the deltas built, so the epoch goes on.
        var agreeing = Assert.IsType<BookSnapshotApplied>(Assert.Single(h.Feed(h.Venue.BookFrame("A", 1004))));
        var after = Assert.Single(h.Feed(h.Venue.ChangeFrame(1005, "A", Side.Buy, "0.43", "5")));

        Assert.Equal((1L, 4L), (agreeing.Epoch, agreeing.Seq));
        Assert.Equal((1L, 5L), (after.Epoch, after.Seq));
        Assert.Equal((1L, 5L), (h.View("A").Epoch, h.View("A").Seq));
    }

    [Fact]
    public async Task Process_DeltaHashMismatch_TurnsSuspectRequestsResyncAndNeverShowsSynced()
    {
        await using var h = await SyncedAsync();

        var events = h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "70", badHash: true));

        Assert.Equal(s_mismatchThenResync, events.Select(e => e.Kind));
        var delta = (BookDeltaApplied)events[0];
        Assert.Equal(HashOutcome.Mismatched, delta.Hash.Outcome);
        Assert.Equal(BookTrustState.Resyncing, delta.Book.State);
        var mismatch = (HashMismatchDetected)events[1];
        Assert.False(mismatch.Pending);
        Assert.False(mismatch.FromSnapshot);
        Assert.NotEqual(mismatch.Expected, mismatch.Actual);
        var suspect = (BookStateChanged)events[2];
        Assert.Equal((BookTrustState.Synced, BookTrustState.Suspect, BookStateReason.HashMismatch), (suspect.OldState, suspect.NewState, suspect.Reason));
        Assert.Equal(BookStateReason.HashMismatch, ((ResyncRequested)events[3]).Reason);
        Assert.Equal(BookTrustState.Resyncing, ((BookStateChanged)events[4]).NewState);
        Assert.Equal(["A"], h.Resyncs);
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
    }

    [Fact]
    public async Task Process_DeltaGrowingASidePastItsLevelCap_TurnsTheBookSuspectAndRequestsAResync()
    {
        await using var h = await SyncedAsync();
        var missing = WireLimits.MaxLevelsPerSide - h.View("A").Summary.Bids.Length;

        // Bids a billionth apart far below the book, up to the 10,001 levels a side may hold.
        for (var from = 1; from <= missing; from += 2_000)
        {
            var changes = Enumerable.Range(from, Math.Min(2_000, missing - from + 1)).Select(i => ("A", Side.Buy, $"0.{i:D9}", "1")).ToArray();
            h.Feed(h.Venue.ChangeFrame(1000 + from, changes));
        }

        Assert.Equal(BookTrustState.Synced, h.View("A").State);
        // One more level: the venue's own model is capped too, so the frame is edited to name a new price.
        var frame = System.Text.Encoding.UTF8.GetString(h.Venue.ChangeFrame(99_999, "A", Side.Buy, "0.000000001", "2"));
        var events = h.Feed(System.Text.Encoding.UTF8.GetBytes(frame.Replace("\"0.000000001\"", "\"0.000099999\"", StringComparison.Ordinal)));

        Assert.Contains(events, e => e is BookStateChanged { NewState: BookTrustState.Suspect });
        Assert.Equal(["A"], h.Resyncs);
        Assert.Equal(WireLimits.MaxLevelsPerSide, h.View("A").Summary.Bids.Length);
    }

    [Fact]
    public async Task Process_AfterMismatch_MatchingDeltasDoNotRestoreSyncedUntilARestSnapshot()
    {
        await using var h = await SyncedAsync();
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "70", badHash: true));

        var later = new List<StreamEvent>();
        later.AddRange(h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.45", "71")));
        later.AddRange(h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Buy, "0.45", "72")));

        Assert.All(later, e => Assert.Equal(BookTrustState.Resyncing, Assert.IsType<BookDeltaApplied>(e).Book.State));
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);

        Assert.True(h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1004), receiveTimestamp: 99));
        var rebased = h.Drain();

        var snapshot = Assert.IsType<BookSnapshotApplied>(rebased[0]);
        Assert.True(snapshot.FromRest);
        Assert.Equal(HashOutcome.Matched, snapshot.Hash.Outcome);
        var synced = Assert.IsType<BookStateChanged>(rebased[1]);
        Assert.Equal((BookTrustState.Resyncing, BookTrustState.Synced, BookStateReason.RestSnapshot), (synced.OldState, synced.NewState, synced.Reason));
        Assert.Equal((2L, 0L, BookTrustState.Synced), (h.View("A").Epoch, h.View("A").Seq, h.View("A").State));
    }

    [Fact]
    public async Task Process_MismatchWithoutAutoSync_StaysSuspectWithoutARequest()
    {
        await using var h = await SyncedAsync(new BookEngineOptions { AutoSyncOnHashMismatch = false });

        var events = h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "70", badHash: true));

        Assert.Equal([StreamEventKind.BookDelta, StreamEventKind.HashMismatch, StreamEventKind.BookStateChanged], events.Select(e => e.Kind));
        Assert.Equal(BookTrustState.Suspect, h.View("A").State);
        Assert.Empty(h.Resyncs);
        Assert.Equal(0, h.Engine.Counts.ResyncRequests);
    }

    [Fact]
    public async Task Process_SampleEveryThird_ChecksOnlyTheThirdDelta()
    {
        await using var h = await SyncedAsync(new BookEngineOptions { HashPolicy = HashPolicy.Sample(3) });

        var first = h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "1", badHash: true));
        var second = h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.42", "1", badHash: true));

        Assert.Equal(HashOutcome.NotChecked, Assert.IsType<BookDeltaApplied>(Assert.Single(first)).Hash.Outcome);
        Assert.Equal(HashOutcome.NotChecked, Assert.IsType<BookDeltaApplied>(Assert.Single(second)).Hash.Outcome);
        Assert.Equal(BookTrustState.Synced, h.View("A").State);
        Assert.Equal(1, h.Engine.Counts.HashesChecked);

        var third = h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Buy, "0.43", "1", badHash: true));

        Assert.Equal(s_mismatchThenResync, third.Select(e => e.Kind));
        Assert.Equal(2, h.Engine.Counts.HashesChecked);
    }

    [Fact]
    public async Task Process_SampleEveryThird_ChecksExactlyEveryThirdOfNineDeltas()
    {
        await using var h = await SyncedAsync(new BookEngineOptions { HashPolicy = HashPolicy.Sample(3) });

        var outcomes = Enumerable.Range(1, 9)
            .Select(i => Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1000 + i, "A", Side.Buy, "0.41", $"{i}")))).Hash.Outcome)
            .ToList();

        HashOutcome[] expected = [.. Enumerable.Range(1, 9).Select(i => i % 3 == 0 ? HashOutcome.Matched : HashOutcome.NotChecked)];
        Assert.Equal(expected, outcomes);
        Assert.Equal(1 + 3, h.Engine.Counts.HashesChecked);
    }

    [Fact]
    public async Task Process_HashPolicyOff_NeverChecksAnyHash()
    {
        await using var h = new BookEngineHarness(new BookEngineOptions { HashPolicy = HashPolicy.Off }, "A");
        h.Venue.WithBook("A");

        var snapshot = h.Feed(h.Venue.BookFrame("A", 1000, hash: "0000000000000000000000000000000000000bad"));
        var deltas = h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "1", badHash: true));

        Assert.Equal(HashOutcome.NotChecked, Assert.IsType<BookSnapshotApplied>(snapshot[0]).Hash.Outcome);
        Assert.Equal(HashOutcome.NotChecked, Assert.IsType<BookDeltaApplied>(Assert.Single(deltas)).Hash.Outcome);
        Assert.Equal(BookTrustState.Synced, h.View("A").State);
        Assert.Equal(0, h.Engine.Counts.HashesChecked);
        Assert.Equal(0, h.Engine.Counts.HashMismatches);
    }

    [Fact]
    public async Task Process_SnapshotHashedWithATradeThatArrivesWithinTheWindow_IsToleratedAndSynced()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue.Trade("A", "0.55");

        var held = h.Feed(h.Venue.BookFrame("A", 1000));

        Assert.Equal([StreamEventKind.BookSnapshot, StreamEventKind.HashMismatch, StreamEventKind.BookStateChanged], held.Select(e => e.Kind));
        Assert.Equal(BookTrustState.Suspect, ((BookSnapshotApplied)held[0]).Book.State);
        Assert.True(((HashMismatchDetected)held[1]).Pending);
        Assert.Equal(BookStateReason.SnapshotHashPending, ((BookStateChanged)held[2]).Reason);
        Assert.Empty(h.Resyncs);

        h.Time.Advance(TimeSpan.FromMilliseconds(200));
        var resolved = h.Feed(Venue.TradeFrame("A", "0.55", 1001));

        Assert.Equal([StreamEventKind.LastTrade, StreamEventKind.BookStateChanged], resolved.Select(e => e.Kind));
        var synced = (BookStateChanged)resolved[1];
        Assert.Equal((BookTrustState.Suspect, BookTrustState.Synced, BookStateReason.LastTradeRaceTolerated), (synced.OldState, synced.NewState, synced.Reason));
        Assert.Equal(1, h.Engine.Counts.ToleratedRaces);
        Assert.Empty(h.Resyncs);
    }

    [Fact]
    public async Task Process_DeltasWhileHeldThenTheTrade_VerifiesTheLatestHashAndSyncs()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue.Trade("A", "0.55");
        h.Feed(h.Venue.BookFrame("A", 1000));

        var delta = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "70"))));
        Assert.Equal(HashOutcome.NotChecked, delta.Hash.Outcome);
        Assert.Equal(BookTrustState.Suspect, delta.Book.State);

        h.Feed(Venue.TradeFrame("A", "0.55", 1002));

        Assert.Equal(BookTrustState.Synced, h.View("A").State);
        Assert.Equal((1L, 1L), (h.View("A").Epoch, h.View("A").Seq));
    }

    [Fact]
    public async Task Process_DeltaWithoutHashWhileHeld_TheTradeCannotProveTheBook()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue.Trade("A", "0.55");
        h.Feed(h.Venue.BookFrame("A", 1000));

        h.Engine.Process([BookBuilder.Change(1001, ("A", Side.Buy, "0.45", "70"))], 2);
        h.Feed(Venue.TradeFrame("A", "0.55", 1002));

        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.Equal(0, h.Engine.Counts.ToleratedRaces);
    }

    [Fact]
    public async Task Process_TradeAfterTheWindow_MismatchIsFinalAndResyncs()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue.Trade("A", "0.55");
        h.Feed(h.Venue.BookFrame("A", 1000));

        h.Time.Advance(TimeSpan.FromMilliseconds(300));
        var events = h.Feed(Venue.TradeFrame("A", "0.55", 1001));

        Assert.Equal([StreamEventKind.HashMismatch, StreamEventKind.ResyncRequested, StreamEventKind.BookStateChanged, StreamEventKind.LastTrade], events.Select(e => e.Kind));
        Assert.False(((HashMismatchDetected)events[0]).Pending);
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.Equal(["A"], h.Resyncs);
        Assert.Equal(0, h.Engine.Counts.ToleratedRaces);
    }

    [Fact]
    public async Task CheckTimeouts_NoFrameAfterAHeldSnapshot_EndsTheWindowOnTime()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue.Trade("A", "0.55");
        h.Feed(h.Venue.BookFrame("A", 1000));

        Assert.Equal(TimeSpan.FromMilliseconds(250), h.Engine.TimeUntilNextTimeout);
        h.Time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.Equal(TimeSpan.FromMilliseconds(1), h.Engine.TimeUntilNextTimeout);
        Assert.Equal(0, h.Engine.CheckTimeouts());
        Assert.Equal(BookTrustState.Suspect, h.View("A").State);

        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, h.Engine.CheckTimeouts());
        Assert.Null(h.Engine.TimeUntilNextTimeout);
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.Equal(["A"], h.Resyncs);
    }

    [Fact]
    public async Task CheckTimeouts_TwoWindowsOpenedApart_EachEndsOnItsOwnTime()
    {
        await using var h = new BookEngineHarness(null, "A", "B");
        foreach (var asset in (string[])["A", "B"])
        {
            h.Venue.WithBook(asset);
            h.Venue.Trade(asset, "0.55");
        }

        h.Feed(h.Venue.BookFrame("A", 1000));
        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        h.Feed(h.Venue.BookFrame("B", 1100));

        Assert.Equal(TimeSpan.FromMilliseconds(150), h.Engine.TimeUntilNextTimeout);
        h.Time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(1, h.Engine.CheckTimeouts());
        Assert.Equal((BookTrustState.Resyncing, BookTrustState.Suspect), (h.View("A").State, h.View("B").State));
        Assert.Equal(TimeSpan.FromMilliseconds(100), h.Engine.TimeUntilNextTimeout);

        h.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, h.Engine.CheckTimeouts());
        Assert.Equal(["A", "B"], h.Resyncs);
        Assert.Null(h.Engine.TimeUntilNextTimeout);
    }

    [Fact]
    public async Task Process_NextTradeDoesNotExplainTheSnapshot_MismatchIsFinal()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue.Trade("A", "0.55");
        h.Feed(h.Venue.BookFrame("A", 1000));

        h.Feed(Venue.TradeFrame("A", "0.6", 1001));

        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.Equal(0, h.Engine.Counts.ToleratedRaces);
        Assert.Equal(2, h.Engine.Counts.HashMismatches);
    }

    [Fact]
    public async Task Process_SnapshotMismatchWithToleranceOff_IsFinalAtOnce()
    {
        await using var h = new BookEngineHarness(new BookEngineOptions { LastTradeTolerance = TimeSpan.Zero }, "A");
        h.Venue.WithBook("A");
        h.Venue.Trade("A", "0.55");

        var events = h.Feed(h.Venue.BookFrame("A", 1000));

        Assert.False(events.OfType<HashMismatchDetected>().Single().Pending);
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
    }

    [Fact]
    public async Task Process_TickSizeChange_RebasesUnsyncedUntilTheNextSnapshotWhichContinuesTheEpoch()
    {
        await using var h = await SyncedAsync();
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "1"));

        var events = h.Feed(h.Venue.TickSizeFrame("A", "0.01", "0.001", 1002));

        Assert.Equal([StreamEventKind.TickSizeChange, StreamEventKind.BookStateChanged], events.Select(e => e.Kind));
        var unsynced = (BookStateChanged)events[1];
        Assert.Equal((BookTrustState.Synced, BookTrustState.Unsynced, BookStateReason.TickSizeChange), (unsynced.OldState, unsynced.NewState, unsynced.Reason));
        Assert.Equal((1L, 2L), (h.View("A").Epoch, h.View("A").Seq));
        Assert.Empty(h.View("A").Summary.Bids);

        Assert.Empty(h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Buy, "0.412", "1")));
        Assert.Equal(1, h.Engine.Counts.GatedDeltas);

        var snapshot = Assert.IsType<BookSnapshotApplied>(h.Feed(h.Venue.BookFrame("A", 1004))[0]);
        Assert.Equal(HashOutcome.Matched, snapshot.Hash.Outcome);
        // The tick change found the book verified and the deltas since were held: nothing was missed.
        Assert.Equal((1L, 3L, BookTrustState.Synced), (h.View("A").Epoch, h.View("A").Seq, h.View("A").State));
        Assert.Equal("0.001", h.View("A").Summary.TickSize.ToString());
    }

    [Fact]
    public async Task Process_PairedChangeThatCorruptsTheSibling_MarksBothSuspect()
    {
        await using var h = new BookEngineHarness(new BookEngineOptions { HashPolicy = HashPolicy.Off }, "A", "B");
        h.Venue.WithBook("A", "B");
        h.Feed(h.Venue.BookFrame("A", 1000));
        h.Feed(h.Venue.BookFrame("B", 1000));

        h.Feed(h.Venue.ChangeFrame(1001, [("A", Side.Buy, "0.45", "70"), ("B", Side.Sell, "0.55", "70")]));
        Assert.Equal(0, h.Engine.Counts.MirrorMismatches);
        Assert.Equal(BookTrustState.Synced, h.View("B").State);

        var events = h.Feed(h.Venue.ChangeFrame(1002, [("A", Side.Buy, "0.45", "60"), ("B", Side.Sell, "0.55", "61")]));

        Assert.Equal(1, h.Engine.Counts.MirrorMismatches);
        Assert.Equal(2, events.OfType<BookStateChanged>().Count(e => e.NewState == BookTrustState.Suspect && e.Reason == BookStateReason.MirrorMismatch));
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.Equal(BookTrustState.Resyncing, h.View("B").State);
        Assert.Equal(["A", "B"], h.Resyncs);
    }

    [Fact]
    public async Task Process_ComplementLeakage_UntrackedEntriesAreIgnoredAndCounted()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A", "B");
        h.Feed(h.Venue.BookFrame("A", 1000));

        var events = h.Feed(h.Venue.ChangeFrame(1001, [("A", Side.Buy, "0.45", "70"), ("B", Side.Sell, "0.55", "70")]));

        var delta = Assert.IsType<BookDeltaApplied>(Assert.Single(events));
        Assert.Equal("A", delta.AssetId);
        Assert.Equal(new LevelChange(Side.Buy, ExactDecimal.Parse("0.45"), ExactDecimal.Parse("70")), Assert.Single(delta.Changes));
        Assert.Equal(HashOutcome.Matched, delta.Hash.Outcome);
        Assert.Equal(1, h.Engine.Counts.Untracked);
        Assert.Null(h.Engine.GetOrderBook("B"));
    }

    [Fact]
    public async Task Process_MalformedFrames_AreCountedPublishedAndChangeNoBook()
    {
        await using var h = await SyncedAsync();
        var before = h.View("A");
        var validChange = System.Text.Encoding.UTF8.GetString(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "1"));

        var truncated = h.Feed("{\"market\":\"0x"u8.ToArray());
        var halfBad = h.Feed(System.Text.Encoding.UTF8.GetBytes($"[{validChange},{{\"event_type\":\"book\",\"asset_id\":\"A\",\"market\":\"0x\",\"bids\":[{{\"price\":\"abc\",\"size\":\"1\"}}],\"asks\":[]}}]"));

        Assert.Equal(1, Assert.IsType<ParseFailure>(Assert.Single(truncated)).TotalFailures);
        var failure = Assert.IsType<ParseFailure>(Assert.Single(halfBad));
        Assert.Equal(2, failure.TotalFailures);
        Assert.Same(before, h.View("A"));
        Assert.Equal((3L, 2L), (h.Engine.Counts.Frames, h.Engine.Counts.ParseFailures));
        Assert.False(h.Engine.Process("{not json"u8, 1));
    }

    [Fact]
    public async Task Process_ParsedChangeWithAnOutOfRangePrice_IsRejectedAndTheBookSuspect()
    {
        await using var h = await SyncedAsync();
        var change = new PriceChangeEvent
        {
            Market = Venue.Market,
            Timestamp = 1001,
            Changes = [new PriceChange("A", ExactDecimal.Parse("1.5"), ExactDecimal.Parse("1"), Side.Buy, default, null, null)],
        };

        h.Engine.Process([change], 7);

        Assert.Equal(1, h.Engine.Counts.Rejected);
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
    }

    [Fact]
    public async Task MarkStale_SyncedBook_IsStaleUntilTheNextSnapshot()
    {
        await using var h = await SyncedAsync();

        Assert.True(h.Engine.MarkStale("A"));
        var stale = Assert.IsType<BookStateChanged>(Assert.Single(h.Drain()));
        Assert.Equal((BookTrustState.Synced, BookTrustState.Stale, BookStateReason.MarkedStale), (stale.OldState, stale.NewState, stale.Reason));

        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "1"));
        Assert.Equal(BookTrustState.Stale, h.View("A").State);

        h.Feed(h.Venue.BookFrame("A", 1002));
        Assert.Equal((BookTrustState.Synced, 2L), (h.View("A").State, h.View("A").Epoch));
        Assert.False(h.Engine.MarkStale("unknown"));
        h.Engine.RequestResync("A");
        Assert.False(h.Engine.MarkStale("A"));
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
    }

    [Fact]
    public async Task RequestResync_TrackedBook_PublishesTheRequestAndTurnsResyncing()
    {
        await using var h = await SyncedAsync();

        Assert.True(h.Engine.RequestResync("A"));

        Assert.Equal([StreamEventKind.ResyncRequested, StreamEventKind.BookStateChanged], h.Drain().Select(e => e.Kind));
        Assert.Equal(["A"], h.Resyncs);
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.False(h.Engine.RequestResync("unknown"));
    }

    [Fact]
    public async Task GetOrderBook_ViewTakenBeforeAChange_NeverChanges()
    {
        await using var h = await SyncedAsync();
        var view = h.View("A");
        var bids = view.Summary.Bids;

        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "0"));

        Assert.Equal(bids, view.Summary.Bids);
        Assert.Equal(0, view.Seq);
        Assert.NotSame(view, h.View("A"));
        Assert.Equal(1, h.View("A").Seq);
        Assert.Single(h.Engine.GetAllOrderBooks());
    }

    [Fact]
    public async Task Process_ViewsOfManyDeltasAndTradesReadLater_EachEqualsTheVenueBookAfterItsOwnEvent()
    {
        await using var h = await SyncedAsync();
        // The hash a view carries is the last one the venue sent: a trade leaves the delta's in place.
        var books = new List<(BookView View, BookSummary Truth, BookHash Hash)>();

        // Three times the link limit, both sides, inserts, updates and removals, and a trade every fourth.
        for (var i = 1; i <= 3 * BookView.MaxChain + 5; i++)
        {
            var side = i % 3 == 0 ? Side.Sell : Side.Buy;
            var price = side == Side.Buy ? $"0.{31 + (i % 7)}" : $"0.{61 + (i % 5)}";
            var delta = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1000 + i, "A", side, price, $"{i % 4 * 10}"))));
            books.Add((delta.Book, h.Venue["A"].Summary(), h.Venue["A"].ComputeHash()));
            if (i % 4 == 0)
            {
                var traded = $"0.{40 + (i % 9)}";
                h.Venue.Trade("A", traded);
                var trade = Assert.IsType<LastTradeReceived>(Assert.Single(h.Feed(Venue.TradeFrame("A", traded, 1000 + i))));
                books.Add((trade.Book, h.Venue["A"].Summary(), books[^1].Hash));
            }
        }

        // Newest first, so every older view is rebuilt after the book has moved on past it.
        for (var i = books.Count - 1; i >= 0; i--)
        {
            var (view, truth, hash) = books[i];
            Assert.True(truth.HasSameContent(view.Summary), $"event {i + 1}");
            Assert.Equal(hash, view.Summary.Hash);
            Assert.Same(view.Summary, view.Summary);
        }

        Assert.True(h.Venue["A"].Summary().HasSameContent(h.View("A").Summary));
    }

    [Fact]
    public async Task Process_MessagesWithSeveralEntriesForOneBook_EachViewEqualsTheVenueBookAfterItsOwnMessage()
    {
        await using var h = await SyncedAsync();
        var books = new List<(BookView View, BookSummary Truth, BookHash Hash)>();

        // More messages than the link limit, of one entry to more entries than the limit, both sides of one book.
        var sizes = new[] { 1, 3, 2, BookView.MaxChain + 1, 5, 1, 4, 2, 3, 6 };
        foreach (var (entries, round) in sizes.Select((n, r) => (n, r)))
        {
            var changes = Enumerable.Range(0, entries)
                .Select(e => ("A", e % 2 == 0 ? Side.Buy : Side.Sell, e % 2 == 0 ? $"0.{10 + (e / 2) + round}" : $"0.{60 + (e / 2)}", $"{(e + round) % 3 * 10}"))
                .ToArray();
            var delta = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(2000 + round, changes))));
            books.Add((delta.Book, h.Venue["A"].Summary(), h.Venue["A"].ComputeHash()));
        }

        // Newest first, so every older view is rebuilt after the book has moved on past it.
        for (var i = books.Count - 1; i >= 0; i--)
        {
            Assert.True(books[i].Truth.HasSameContent(books[i].View.Summary), $"message {i + 1}");
            Assert.Equal(books[i].Hash, books[i].View.Summary.Hash);
        }
    }

    [Fact]
    public async Task Process_MoreDeltasThanTheLinkLimit_TheLatestViewNoLongerKeepsTheFirstAlive()
    {
        await using var h = await SyncedAsync();
        var first = FeedAndWatchView(h, 1);
        for (var i = 2; i <= BookView.MaxChain + 2; i++)
        {
            h.Feed(h.Venue.ChangeFrame(1000 + i, "A", Side.Buy, $"0.{30 + i}", "25"));
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // Links are bounded so a book's memory is too: once a copy is taken, older views can go.
        Assert.False(first.IsAlive);
        Assert.True(h.Venue["A"].Summary().HasSameContent(h.View("A").Summary));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference FeedAndWatchView(BookEngineHarness h, int i) =>
        new(Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1000 + i, "A", Side.Buy, $"0.{30 + i}", "25")))).Book);

    [Fact]
    public async Task GetOrderBook_LinkedViewReadFromManyThreadsAtOnce_GivesOneConsistentSummary()
    {
        await using var h = await SyncedAsync();
        for (var i = 1; i <= BookView.MaxChain; i++)
        {
            h.Feed(h.Venue.ChangeFrame(1000 + i, "A", Side.Buy, $"0.{30 + i}", "25"));
        }

        var view = h.View("A");
        var truth = h.Venue["A"].Summary();
        using var start = new Barrier(4);
        var summaries = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            () =>
            {
                start.SignalAndWait(TestEvents.WaitLimit);
                return view.Summary;
            },
            TestContext.Current.CancellationToken)));

        Assert.All(summaries, s => Assert.Same(summaries[0], s));
        Assert.True(truth.HasSameContent(summaries[0]));
        Assert.Equal(truth.ComputeHash(), summaries[0].ComputeHash());
    }

    [Fact]
    public async Task GetOrderBook_StateChangeAfterLinkedDeltas_KeepsTheContentsAndEquality()
    {
        await using var h = await SyncedAsync();
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "30"));
        var before = h.View("A");

        Assert.True(h.Engine.MarkStale("A"));

        var after = h.View("A");
        Assert.Equal(BookTrustState.Stale, after.State);
        Assert.True(before.Summary.HasSameContent(after.Summary));
        Assert.NotEqual(before, after);
        Assert.Equal(before, before with { });
        Assert.Equal(before.GetHashCode(), (before with { }).GetHashCode());
    }

    [Fact]
    public async Task GetOrderBook_ReadWhileTheWriterApplies_AlwaysSeesAConsistentView()
    {
        await using var h = await SyncedAsync();
        var ct = TestContext.Current.CancellationToken;
        using var done = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(
            () =>
            {
                var checkedViews = 0;
                var lastSeq = -1L;
                started.SetResult();
                do
                {
                    var view = h.Engine.GetOrderBook("A")!;
                    Assert.True(view.Seq >= lastSeq);
                    lastSeq = view.Seq;
                    if (view.LastHashOutcome == HashOutcome.Matched)
                    {
                        // A view is a consistent copy: its contents reproduce the hash the venue sent for them.
                        Assert.Equal(view.Summary.Hash, view.Summary.ComputeHash());
                        checkedViews++;
                    }
                }
                while (!done.IsCancellationRequested);

                return checkedViews;
            },
            ct);
        await started.Task.WaitAsync(TestEvents.WaitLimit, ct);

        for (var i = 1; i <= 2_000; i++)
        {
            h.Feed(h.Venue.ChangeFrame(1000 + i, "A", Side.Buy, "0.44", $"{i % 50}"));
        }

        done.Cancel();
        Assert.True(await reader.WaitAsync(TestEvents.WaitLimit, ct) > 0);
        Assert.Equal((BookTrustState.Synced, 2_000L), (h.View("A").State, h.View("A").Seq));
    }

    [Fact]
    public async Task Process_PassthroughEvents_ArePublishedInOrder()
    {
        await using var h = new BookEngineHarness(null, "A");
        WireEvent[] events =
        [
            new NewMarketEvent { Market = "0xnew", AssetIds = ["X", "Y"] },
            new MarketResolvedEvent { Market = "0xold", WinningAssetId = "X" },
            new OrderEvent { Id = "0xorder", Market = Venue.Market, AssetId = "A" },
            new TradeEvent { Id = "trade-1", Market = Venue.Market, AssetId = "A" },
            new BestBidAskEvent { Market = Venue.Market, AssetId = "A" },
            new BestBidAskEvent { Market = Venue.Market, AssetId = "untracked" },
            ControlReplyEvent.Pong,
            new UnknownEvent { EventType = "future", RawJson = "{}" },
        ];

        h.Engine.Process(events, 42);

        var published = h.Drain();
        // The market channel is unauthenticated: an order or trade there is refused, not passed on as the user's.
        Assert.Equal(
            [StreamEventKind.NewMarket, StreamEventKind.MarketResolved, StreamEventKind.BestBidAsk],
            published.Select(e => e.Kind));
        Assert.All(published, e => Assert.Equal(42, e.ReceiveTimestamp));
        Assert.Equal((1L, 1L, 2L), (h.Engine.Counts.Untracked, h.Engine.Counts.Unknown, h.Engine.Counts.Refused));
    }

    [Fact]
    public void Translate_UserChannel_PassesOrdersAndTrades()
    {
        var translator = new VenueEventTranslator(new MarketEventGate(), userChannel: true);

        var order = translator.Translate(new OrderEvent { Id = "0xorder", Market = Venue.Market, AssetId = "A" }, 7, out var orderRefused);
        var trade = translator.Translate(new TradeEvent { Id = "trade-1", Market = Venue.Market, AssetId = "A" }, 8, out var tradeRefused);

        Assert.Equal(("A", 7L, false), (Assert.IsType<UserOrderReceived>(order).AssetId, order.ReceiveTimestamp, orderRefused));
        Assert.Equal(("trade-1", 8L, false), (Assert.IsType<UserTradeReceived>(trade).Id, trade.ReceiveTimestamp, tradeRefused));
    }

    [Fact]
    public async Task Process_MarketLifecycleEventOnTwoConnections_IsPublishedOnce()
    {
        // The venue sends new_market to every connection and market_resolved to each one carrying a token
        // of the market; a streamer's connections share one gate, so readers see each event once.
        await using var bus = new EventBus();
        await using var events = bus.Subscribe();
        var gate = new MarketEventGate();
        var first = new BookEngine(bus) { Translator = new VenueEventTranslator(gate, userChannel: false) };
        var second = new BookEngine(bus) { Translator = new VenueEventTranslator(gate, userChannel: false) };
        WireEvent[] lifecycle = [new NewMarketEvent { Market = "0xnew" }, new MarketResolvedEvent { Market = "0xnew" }, new NewMarketEvent { Market = "0xother" }];

        first.Process(lifecycle, 1);
        second.Process(lifecycle, 2);
        first.Process([new NewMarketEvent { Market = "0xnew" }], 3);

        var published = TestEvents.Drain(events);
        Assert.Equal([StreamEventKind.NewMarket, StreamEventKind.MarketResolved, StreamEventKind.NewMarket], published.Select(e => e.Kind));
        Assert.All(published, e => Assert.Equal(1, e.ReceiveTimestamp));
    }

    [Fact]
    public void MarketEventGate_RemembersTheLatestCapacityEvents_AndForgetsOlderOnes()
    {
        var gate = new MarketEventGate();
        for (var i = 0; i < MarketEventGate.Capacity; i++)
        {
            Assert.True(gate.TryPass(WireEventKind.NewMarket, $"0x{i}"));
        }

        Assert.False(gate.TryPass(WireEventKind.NewMarket, "0x0"));
        Assert.True(gate.TryPass(WireEventKind.MarketResolved, "0x0")); // a different event of the same market; evicts 0x0's listing
        Assert.True(gate.TryPass(WireEventKind.NewMarket, "0x0"));
        Assert.False(gate.TryPass(WireEventKind.NewMarket, $"0x{MarketEventGate.Capacity - 1}"));
    }
}
