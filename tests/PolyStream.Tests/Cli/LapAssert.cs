using PolyStream.Events;
using PolyStream.Books;

namespace PolyStream.Tests.Cli;

/// <summary>What a verifying engine must show after a whole lap of the bench's frames: every book back where the lap began.</summary>
internal static class LapAssert
{
    /// <summary>Every book of <paramref name="start"/> is Synced in <paramref name="harness"/> with exactly its levels.</summary>
    public static void EveryBookBackAtStart(BookEngineHarness harness, IEnumerable<BookSummary> start)
    {
        foreach (var book in start)
        {
            var view = harness.View(book.AssetId);
            Assert.Equal(BookTrustState.Synced, view.State);
            Assert.Equal(book.Bids.Select(l => l.ToString()), view.Summary.Bids.Select(l => l.ToString()));
            Assert.Equal(book.Asks.Select(l => l.ToString()), view.Summary.Asks.Select(l => l.ToString()));
        }
    }
}
