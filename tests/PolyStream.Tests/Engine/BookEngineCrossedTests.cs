using PolyStream.Books;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Tests.Engine;

/// <summary>Crossed and locked books are reported on every change, and shown cleaned only when asked, while the book itself stays the venue's.</summary>
public sealed class BookEngineCrossedTests
{
    // The venue's book: bids 0.4, 0.45; asks 0.6, 0.55.
    private static BookEngineHarness Synced(bool clean = false)
    {
        var h = new BookEngineHarness(new BookEngineOptions { CleanCrossedBooks = clean }, "A");
        h.Venue.WithBook("A");
        h.Feed(h.Venue.BookFrame("A", 1000));
        return h;
    }

    [Fact]
    public async Task Process_ADeltaThatLocksTheBook_IsReportedAndTheNextThatUncrossesItSyncsIt()
    {
        await using var h = Synced();

        var locked = h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.55", "5"));
        var stillLocked = h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.4", "7"));
        var uncrossed = h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Buy, "0.55", "0"));

        var report = Assert.IsType<BookStateChanged>(locked[1]);
        Assert.Equal((BookTrustState.Synced, BookTrustState.Suspect, BookStateReason.Crossed), (report.OldState, report.NewState, report.Reason));
        Assert.Equal(HashOutcome.Matched, Assert.IsType<BookDeltaApplied>(Assert.Single(stillLocked)).Hash.Outcome);
        var back = Assert.IsType<BookStateChanged>(uncrossed[1]);
        Assert.Equal((BookTrustState.Synced, BookStateReason.Uncrossed), (back.NewState, back.Reason));
        Assert.Equal((1L, 0L, 0), (h.Engine.Counts.Crossings, h.Engine.Counts.HashMismatches, h.Resyncs.Count));
        Assert.Equal(1L, h.View("A").Epoch);
    }

    [Fact]
    public async Task Process_CrossedSnapshot_IsReported()
    {
        await using var h = new BookEngineHarness(null, "A");
        h.Venue.WithBook("A");
        h.Venue.ChangeFrame(999, "A", Side.Sell, "0.42", "3");

        var events = h.Feed(h.Venue.BookFrame("A", 1000));

        Assert.Contains(events, e => e is BookStateChanged { NewState: BookTrustState.Suspect, Reason: BookStateReason.Crossed });
        Assert.True(h.View("A").Summary.IsCrossed);
    }

    [Fact]
    public async Task Process_CrossedWithCleaningOn_ViewLeavesOutTheCrossedLevelsAndTheBookKeepsVerifying()
    {
        await using var h = Synced(clean: true);

        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.57", "5"));
        var view = h.View("A");
        var next = Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.4", "9"))));

        // The newest quote (a bid at 0.57) wins: the ask at 0.55 it crossed is left out of the view.
        Assert.True(view.IsCleaned);
        Assert.Equal(["0.6"], view.Summary.Asks.Select(l => l.Price.ToString()));
        Assert.Equal("0.57", view.Summary.BestBid!.Value.Price.ToString());
        Assert.False(view.Summary.Hash.HasValue);
        Assert.Equal(HashOutcome.Matched, next.Hash.Outcome);
        Assert.True(next.Book.IsCleaned);
        Assert.Equal(["0.6"], next.Book.Summary.Asks.Select(l => l.Price.ToString()));
    }

    [Fact]
    public async Task Process_CrossedWithCleaningOff_ViewShowsTheVenuesLevels()
    {
        await using var h = Synced();

        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.57", "5"));

        Assert.False(h.View("A").IsCleaned);
        Assert.Equal(["0.6", "0.55"], h.View("A").Summary.Asks.Select(l => l.Price.ToString()));
    }

    [Fact]
    public async Task Process_UncrossedAfterCleaning_ViewIsTheBookAgain()
    {
        await using var h = Synced(clean: true);
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.57", "5"));

        h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Buy, "0.57", "0"));
        h.Feed(h.Venue.ChangeFrame(1003, "A", Side.Sell, "0.6", "1"));

        Assert.False(h.View("A").IsCleaned);
        Assert.Equal(h.Venue["A"].Summary().Asks, h.View("A").Summary.Asks);
        Assert.Equal(h.Venue["A"].Summary().Bids, h.View("A").Summary.Bids);
    }
}
