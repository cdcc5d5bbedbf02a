using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Tests.Engine;

/// <summary>
/// The epoch changes only at a real discontinuity: the venue's full books after trades keep it, and each fault
/// (a lost delta, a corrupt hash, a reconnect) starts exactly one new epoch for the books it touched.
/// </summary>
public sealed class BookEngineEpochTests
{
    private static BookEngineHarness Synced()
    {
        var h = new BookEngineHarness(null, "A", "B");
        h.Venue.WithBook("A").WithBook("B");
        h.Feed(h.Venue.BookFrame("A", 1000));
        h.Feed(h.Venue.BookFrame("B", 1000));
        Assert.Equal((BookTrustState.Synced, BookTrustState.Synced), (h.View("A").State, h.View("B").State));
        return h;
    }

    /// <summary>Trading on "A": deltas, then a trade and the full book the venue sends after it, <paramref name="rounds"/> times.</summary>
    private static List<StreamEvent> Trade(BookEngineHarness h, long from, int rounds)
    {
        var events = new List<StreamEvent>();
        for (var i = 0; i < rounds; i++)
        {
            var ts = from + (i * 10);
            events.AddRange(h.Feed(h.Venue.ChangeFrame(ts, "A", Side.Buy, "0.4", $"{90 - i}")));
            h.Venue.Trade("A", "0.4");
            events.AddRange(h.Feed(Venue.TradeFrame("A", "0.4", ts + 1)));
            events.AddRange(h.Feed(h.Venue.BookFrame("A", ts + 2, withLastTradePrice: true)));
        }

        return events;
    }

    private static long[] Epochs(IEnumerable<StreamEvent> events, string assetId) =>
        [.. events.Where(e => e.AssetId == assetId && e is BookSnapshotApplied or BookDeltaApplied or LastTradeReceived).Select(e => e.Epoch).Distinct()];

    [Fact]
    public async Task Process_TradesWithTheirFullBooksAndNoFault_KeepEpochOneWithSeqAdvancing()
    {
        await using var h = Synced();

        var events = Trade(h, 2000, rounds: 5);

        Assert.Equal([1L], Epochs(events, "A"));
        var seqs = events.Where(e => e is BookSnapshotApplied or BookDeltaApplied).Select(e => e.Seq).ToList();
        Assert.Equal([.. Enumerable.Range(1, 10).Select(i => (long)i)], seqs);
        Assert.All(events.OfType<BookSnapshotApplied>(), s => Assert.Equal(HashOutcome.Matched, s.Hash.Outcome));
        Assert.Equal((1L, 1L), (h.View("A").Epoch, h.View("B").Epoch));
    }

    [Fact]
    public async Task Process_SnapshotThatDisagreesWithTheBook_StartsANewEpoch()
    {
        await using var h = Synced();

        // A change the stream never delivered: the next full book holds other levels.
        h.Venue.ChangeFrame(2000, "A", Side.Buy, "0.42", "5");
        var snapshot = Assert.IsType<BookSnapshotApplied>(h.Feed(h.Venue.BookFrame("A", 2001))[0]);

        Assert.Equal((2L, 0L), (snapshot.Epoch, snapshot.Seq));
    }

    [Fact]
    public async Task Process_SubscriptionSnapshotThatMovedSinceTheRestBase_ContinuesEpochOneAndALaterOneDoesNot()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1000), 1);
        var events = h.Drain();

        // The book moves between the REST fetch and the subscription: no delta in between was subscribed, so nothing was missed.
        h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.42", "5");
        var subscription = Assert.IsType<BookSnapshotApplied>(h.Feed(h.Venue.BookFrame("A", 1002))[0]);
        events.Add(subscription);
        events.AddRange(Trade(h, 2000, rounds: 2));

        Assert.Equal((1L, 1L, HashOutcome.Matched), (subscription.Epoch, subscription.Seq, subscription.Hash.Outcome));
        Assert.Equal([1L], Epochs(events, "A"));
        Assert.Equal((BookTrustState.Synced, 1L), (h.View("A").State, h.View("A").Epoch));

        // Any later snapshot that disagrees is a discontinuity again.
        h.Venue.ChangeFrame(3000, "A", Side.Buy, "0.43", "5");
        var later = Assert.IsType<BookSnapshotApplied>(h.Feed(h.Venue.BookFrame("A", 3001))[0]);
        Assert.Equal((2L, 0L), (later.Epoch, later.Seq));
    }

    [Fact]
    public async Task Process_DroppedDelta_StartsExactlyOneNewEpochForThatBook()
    {
        await using var h = Synced();
        h.Venue.ChangeFrame(2000, "A", Side.Buy, "0.41", "5"); // dropped

        var events = h.Feed(h.Venue.ChangeFrame(2001, "A", Side.Buy, "0.42", "5"));

        AssertOneNewEpochAfterTheResync(h, events, 2001);
    }

    [Fact]
    public async Task Process_CorruptHash_StartsExactlyOneNewEpochForThatBook()
    {
        await using var h = Synced();

        var events = h.Feed(h.Venue.ChangeFrame(2000, "A", Side.Buy, "0.41", "5", badHash: true));

        AssertOneNewEpochAfterTheResync(h, events, 2000);
    }

    /// <summary>After a fault on "A": its REST resync answer, then trading; "A" is in epoch 2 from the re-base on, "B" untouched in epoch 1.</summary>
    private static void AssertOneNewEpochAfterTheResync(BookEngineHarness h, List<StreamEvent> events, long restAt)
    {
        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", restAt), 2);
        events.AddRange(h.Drain());
        events.AddRange(Trade(h, 3000, rounds: 3));

        Assert.Contains(events, e => e is HashMismatchDetected);
        Assert.Equal([1L, 2L], Epochs(events, "A"));
        Assert.Equal((BookTrustState.Synced, 2L, 1L), (h.View("A").State, h.View("A").Epoch, h.View("B").Epoch));
    }

    [Fact]
    public async Task Process_Reconnect_StartsExactlyOneNewEpochPerBookDespiteTheSnapshotAndTheRestAnswer()
    {
        await using var h = Synced();

        // What a shard does on a new connection: every book asks for a resync, then the new connection's
        // initial dump and the REST answers both arrive with the same book.
        h.Engine.RequestResync("A", 2);
        h.Engine.RequestResync("B", 2);
        var events = h.Feed(h.Venue.BookFrame("A", 2000));
        events.AddRange(h.Feed(h.Venue.BookFrame("B", 2000)));
        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 2000), 3);
        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("B", 2000), 3);
        events.AddRange(h.Drain());
        events.AddRange(Trade(h, 3000, rounds: 2));

        Assert.Equal([2L], Epochs(events, "A"));
        Assert.Equal([2L], Epochs(events, "B"));
        Assert.Equal((BookTrustState.Synced, BookTrustState.Synced), (h.View("A").State, h.View("B").State));
    }

    [Fact]
    public async Task Process_TickSizeChangeThenAResyncBeforeTheVenuesBook_StartsANewEpoch()
    {
        await using var h = Synced();
        h.Feed(h.Venue.TickSizeFrame("A", "0.01", "0.001", 2000));

        // Something went wrong between the tick change and its book: the book that follows is a re-base, not a continuation.
        h.Engine.RequestResync("A", 2001);
        h.Drain();
        var snapshot = Assert.IsType<BookSnapshotApplied>(h.Feed(h.Venue.BookFrame("A", 2002))[0]);

        Assert.Equal((2L, 0L), (snapshot.Epoch, snapshot.Seq));
    }
}
