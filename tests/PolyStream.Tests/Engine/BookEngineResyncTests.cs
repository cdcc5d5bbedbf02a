using PolyStream.Books;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Tests.Engine;

/// <summary>Re-basing from REST snapshots, which may be older than the deltas received while waiting for them.</summary>
public sealed class BookEngineResyncTests
{
    private static BookEngineHarness Resyncing(BookEngineOptions? options = null)
    {
        var h = new BookEngineHarness(options, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "70", badHash: true));
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        return h;
    }

    [Fact]
    public async Task ApplyRestSnapshot_OlderThanDeltasReceivedSince_ReplaysThemAndSyncs()
    {
        await using var h = Resyncing();
        var rest = h.Venue.RestSnapshot("A", 1001);
        h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.41", "3"));
        h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Sell, "0.55", "0"));

        Assert.True(h.Engine.ApplyRestSnapshot(rest, receiveTimestamp: 50));
        var events = h.Drain();

        Assert.Equal([StreamEventKind.BookSnapshot, StreamEventKind.BookDelta, StreamEventKind.BookDelta, StreamEventKind.BookStateChanged], events.Select(e => e.Kind));
        Assert.Equal([(2L, 0L), (2L, 1L), (2L, 2L)], events.Take(3).Select(e => (e.Epoch, e.Seq)));
        var synced = (BookStateChanged)events[3];
        Assert.Equal((BookTrustState.Resyncing, BookTrustState.Synced, BookStateReason.RestSnapshot), (synced.OldState, synced.NewState, synced.Reason));
        var view = h.View("A");
        Assert.Equal((2L, 2L, HashOutcome.Matched), (view.Epoch, view.Seq, view.LastHashOutcome));
        Assert.True(view.Summary.HasSameContent(h.Venue["A"].Summary()));
    }

    [Fact]
    public async Task ApplyRestSnapshot_ReplayEndsOnAWrongHash_StaysUntrustedAndAsksAgain()
    {
        await using var h = Resyncing();
        var rest = h.Venue.RestSnapshot("A", 1001);
        h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.41", "3", badHash: true));

        h.Engine.ApplyRestSnapshot(rest);
        var events = h.Drain();

        Assert.DoesNotContain(events, e => e is BookStateChanged { NewState: BookTrustState.Synced });
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.Equal(["A", "A"], h.Resyncs);
    }

    [Fact]
    public async Task ApplyRestSnapshot_OlderThanADeltaDroppedFromTheBuffer_IsNotTrusted()
    {
        await using var h = Resyncing(new BookEngineOptions { ReplayBufferLimit = 2 });
        var rest = h.Venue.RestSnapshot("A", 1001);
        h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.41", "3"));
        h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Buy, "0.42", "3"));
        h.Feed(h.Venue.ChangeFrame(1004, "A", Side.Buy, "0.43", "3"));

        h.Engine.ApplyRestSnapshot(rest);
        var events = h.Drain();

        Assert.Contains(events, e => e is BookStateChanged { NewState: BookTrustState.Suspect, Reason: BookStateReason.SnapshotTooOld });
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
        Assert.Equal(2, h.Resyncs.Count);
    }

    [Fact]
    public async Task ApplyRestSnapshot_FirstSnapshotAfterGatedDeltas_ReplaysTheNewerOnes()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.45", "70"));
        var rest = h.Venue.RestSnapshot("A", 1001);
        h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.41", "3"));
        Assert.Equal(2, h.Engine.Counts.GatedDeltas);

        h.Engine.ApplyRestSnapshot(rest);

        var view = h.View("A");
        Assert.Equal((BookTrustState.Synced, 1L, 1L), (view.State, view.Epoch, view.Seq));
        Assert.True(view.Summary.HasSameContent(h.Venue["A"].Summary()));
    }

    [Fact]
    public async Task ApplyRestSnapshot_CarriesMinOrderSizeAndNegRisk_IntoTheHashedBook()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue["A"].MinOrderSize = ExactDecimal.Parse("15");
        h.Venue["A"].NegRisk = true;

        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1000));
        h.Drain();
        var delta = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "3"))));

        Assert.Equal(HashOutcome.Matched, delta.Hash.Outcome);
        Assert.Equal(BookTrustState.Synced, h.View("A").State);
        Assert.False(h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1002) with { AssetId = "other" }));
    }

    [Fact]
    public async Task ApplyRestSnapshot_AnsweredAfterTheStreamResynced_IsIgnored()
    {
        await using var h = Resyncing();
        var late = h.Venue.RestSnapshot("A", 1001);
        h.Feed(h.Venue.BookFrame("A", 1002));
        h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Buy, "0.41", "3"));

        Assert.False(h.Engine.ApplyRestSnapshot(late));

        Assert.Empty(h.Drain());
        Assert.Equal((BookTrustState.Synced, 2L, 1L), (h.View("A").State, h.View("A").Epoch, h.View("A").Seq));
        Assert.True(h.View("A").Summary.HasSameContent(h.Venue["A"].Summary()));
        Assert.Equal(1, h.Engine.Counts.OutdatedSnapshots);
    }

    [Fact]
    public async Task Process_DeltasTheRestSnapshotAlreadyHolds_AreSkippedWithoutAMismatch()
    {
        // The REST answer outran the socket: the venue sent these deltas before answering, the reader had not read them yet.
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));
        byte[][] lagging = [h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "3"), h.Venue.ChangeFrame(1002, "A", Side.Sell, "0.55", "0")];
        Assert.True(h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1002)));
        h.Drain();

        Assert.All(lagging, frame => Assert.Empty(h.Feed(frame)));
        var next = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Buy, "0.42", "9"))));

        Assert.Equal(HashOutcome.Matched, next.Hash.Outcome);
        Assert.Equal((0L, 2L), (h.Engine.Counts.HashMismatches, h.Engine.Counts.OutdatedDeltas));
        Assert.Equal(BookTrustState.Synced, h.View("A").State);
        Assert.True(h.View("A").Summary.HasSameContent(h.Venue["A"].Summary()));
    }

    [Fact]
    public async Task Process_WebSocketSnapshotAfterARestBase_AppliesTheDeltasThatFollowIt()
    {
        // A snapshot in stream order re-bases the book where the stream is: what follows it is new, however old against the REST base.
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));
        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 2000));
        h.Feed(h.Venue.BookFrame("A", 1000));

        var delta = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "3"))));

        Assert.Equal(HashOutcome.Matched, delta.Hash.Outcome);
        Assert.Equal(0L, h.Engine.Counts.OutdatedDeltas);
        Assert.True(h.View("A").Summary.HasSameContent(h.Venue["A"].Summary()));
    }

    [Fact]
    public async Task ApplyRestSnapshot_OlderThanDeltasAppliedWhileSynced_IsNotTrusted()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));
        var old = h.Venue.RestSnapshot("A", 1000);
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "3"));
        h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.45", "70", badHash: true));

        h.Engine.ApplyRestSnapshot(old);
        var events = h.Drain();

        Assert.Contains(events, e => e is BookStateChanged { NewState: BookTrustState.Suspect, Reason: BookStateReason.SnapshotTooOld });
        Assert.DoesNotContain(events, e => e is BookStateChanged { NewState: BookTrustState.Synced });
        Assert.Equal(BookTrustState.Resyncing, h.View("A").State);
    }

    [Fact]
    public async Task ApplyRestSnapshot_TakenBeforeATickSizeChange_IsNotTrusted()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));
        var before = h.Venue.RestSnapshot("A", 1000) with { TickSize = ExactDecimal.Parse("0.01") };
        h.Feed(h.Venue.TickSizeFrame("A", "0.01", "0.001", 1001));

        h.Engine.ApplyRestSnapshot(before);

        Assert.Contains(h.Drain(), e => e is BookStateChanged { Reason: BookStateReason.SnapshotTooOld });
        Assert.NotEqual(BookTrustState.Synced, h.View("A").State);

        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1000));
        Assert.Equal((BookTrustState.Synced, "0.001"), (h.View("A").State, h.View("A").Summary.TickSize.ToString()));
    }

    [Fact]
    public async Task ApplyRestSnapshot_OlderThanATradeAlreadySeen_KeepsTheNewerLastTradePrice()
    {
        await using var h = Resyncing();
        var rest = h.Venue.RestSnapshot("A", 1001);
        h.Venue.Trade("A", "0.6");
        h.Feed(Venue.TradeFrame("A", "0.6", 1002));

        h.Engine.ApplyRestSnapshot(rest);

        Assert.Equal((BookTrustState.Synced, "0.600"), (h.View("A").State, h.View("A").Summary.LastTradePrice.ToString()));
        Assert.Equal(h.Venue["A"].ComputeHash(), h.View("A").Summary.ComputeHash());
    }
}
