using CsCheck;
using PolyStream.Books;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Tests.Engine;

/// <summary>A token's hash metadata (absent from WebSocket books) is known before its book is hashed, or the book waits unhashed.</summary>
public sealed class BookEngineMetadataTests
{
    private static readonly BookEngineOptions s_noAssumption = new() { AssumedMetadata = null, LastTradeTolerance = TimeSpan.Zero };

    /// <summary>A venue whose market "A" is neg-risk with a minimum order of 15, as WebSocket books never say.</summary>
    private static BookEngineHarness NegRiskVenue(BookEngineOptions options)
    {
        var h = new BookEngineHarness(options, "A");
        h.Venue.WithBook("A");
        h.Venue["A"].MinOrderSize = ExactDecimal.Parse("15");
        h.Venue["A"].NegRisk = true;
        return h;
    }

    [Fact]
    public async Task Process_SnapshotBeforeTheMetadata_BasesTheBookUnhashedAndUnsyncedWithAReason()
    {
        await using var h = NegRiskVenue(s_noAssumption);
        Assert.Equal(BookStateReason.MetadataUnavailable, h.View("A").StateReason);

        var events = h.Feed(h.Venue.BookFrame("A", 1000));
        events.AddRange(h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "5")));

        Assert.Equal(HashOutcome.NotChecked, Assert.IsType<BookSnapshotApplied>(events[0]).Hash.Outcome);
        Assert.DoesNotContain(events, e => e is HashMismatchDetected or ResyncRequested or BookStateChanged);
        Assert.Equal((BookTrustState.Unsynced, BookStateReason.MetadataUnavailable), (h.View("A").State, h.View("A").StateReason));
        Assert.Equal(3, h.View("A").Summary.Bids.Length);
        Assert.Equal((0L, 0L), (h.Engine.Counts.HashesChecked, h.Engine.Counts.HashMismatches));
        Assert.Empty(h.Resyncs);
    }

    [Fact]
    public async Task ApplyRestSnapshot_MetadataForAHeldBook_VerifiesItAndSyncsItInTheSameEpoch()
    {
        await using var h = NegRiskVenue(s_noAssumption);
        var older = h.Venue.RestSnapshot("A", 1000);
        h.Feed(h.Venue.BookFrame("A", 1000));
        h.Feed(h.Venue.ChangeFrame(1001, "A", Side.Buy, "0.41", "5"));

        // The summary was taken before the delta: only its metadata is new to the book.
        h.Engine.ApplyRestSnapshot(older, 2);
        var events = h.Drain();

        var synced = Assert.IsType<BookStateChanged>(Assert.Single(events));
        Assert.Equal((BookTrustState.Unsynced, BookTrustState.Synced, BookStateReason.MetadataReceived), (synced.OldState, synced.NewState, synced.Reason));
        Assert.Equal((1L, 1L), (h.View("A").Epoch, h.View("A").Seq));
        Assert.Equal(("15", true), (h.View("A").Summary.MinOrderSize.ToString(), h.View("A").Summary.NegRisk));
        Assert.Equal(0, h.Engine.Counts.HashMismatches);
        Assert.Equal(HashOutcome.Matched, Assert.IsType<BookDeltaApplied>(Assert.Single(h.Feed(h.Venue.ChangeFrame(1002, "A", Side.Sell, "0.7", "5")))).Hash.Outcome);
    }

    [Fact]
    public async Task ApplyRestSnapshot_BeforeAnySnapshot_IsTheFirstBaseAndTheAgreeingSnapshotContinuesItsEpoch()
    {
        await using var h = NegRiskVenue(s_noAssumption);

        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1000), 1);
        var first = h.Drain();
        var snapshot = Assert.IsType<BookSnapshotApplied>(Assert.Single(h.Feed(h.Venue.BookFrame("A", 1000))));

        Assert.Equal(HashOutcome.Matched, Assert.IsType<BookSnapshotApplied>(first[0]).Hash.Outcome);
        Assert.Contains(first, e => e is BookStateChanged { NewState: BookTrustState.Synced, Reason: BookStateReason.RestSnapshot });
        Assert.Equal((HashOutcome.Matched, 1L, 1L), (snapshot.Hash.Outcome, snapshot.Epoch, snapshot.Seq));
        Assert.Equal(BookTrustState.Synced, h.View("A").State);
    }

    [Fact]
    public async Task Track_MetadataCachedByAnotherEngine_HashesTheFirstSnapshotWithIt()
    {
        var cache = new BookMetadataCache();
        cache.Set("A", new BookMetadata(ExactDecimal.Parse("15"), true, ExactDecimal.Parse("0.01")));
        await using var h = NegRiskVenue(s_noAssumption);
        var engine = new BookEngine(h.Bus, s_noAssumption, h.Time) { Metadata = cache };
        engine.Track("A");

        engine.Process(h.Venue.BookFrame("A", 1000), 1);

        var snapshot = Assert.IsType<BookSnapshotApplied>(h.Drain()[0]);
        Assert.Equal(HashOutcome.Matched, snapshot.Hash.Outcome);
        Assert.Equal(BookTrustState.Synced, engine.GetOrderBook("A")!.State);
    }

    [Fact]
    public async Task Process_TickSizeChange_RefreshesTheCachedTickSize()
    {
        await using var h = NegRiskVenue(s_noAssumption);
        h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", 1000), 1);

        h.Feed(h.Venue.TickSizeFrame("A", "0.01", "0.001", 1001));

        Assert.Equal(new BookMetadata(ExactDecimal.Parse("15"), true, ExactDecimal.Parse("0.001")), h.Engine.Metadata.Get("A"));
    }

    [Fact]
    public async Task Process_WithTheTypicalAssumption_ANegRiskBookMismatches()
    {
        // What a stream that guessed the metadata would do: every neg-risk book's first snapshot fails.
        await using var h = NegRiskVenue(new BookEngineOptions { LastTradeTolerance = TimeSpan.Zero });

        var events = h.Feed(h.Venue.BookFrame("A", 1000));

        Assert.Contains(events, e => e is HashMismatchDetected);
    }

    [Fact]
    public void BookEngine_RandomMetadataAndTraffic_NoMismatchAndEverySyncedStepEqualsTheVenue()
    {
        // Per market: a minimum order size, neg-risk or not, when the REST summary arrives (0: before any
        // snapshot), then changes, trades with the full book the venue sends after each, and snapshots.
        var market = Gen.Select(Gen.OneOfConst("1", "5", "15", "100"), Gen.Bool, Gen.Int[0, 30]);
        var step = Gen.Select(Gen.Int[0, 9], Gen.Int[1, 99], Gen.Int[0, 300], Gen.Bool);
        Gen.Select(market, step.Array[1, 60]).Sample((metadata, steps) =>
        {
            var (minOrderSize, negRisk, metadataAt) = metadata;
            var h = new BookEngineHarness(s_noAssumption, "A", "B");
            h.Venue.WithBook("A", "B");
            foreach (var id in (string[])["A", "B"])
            {
                h.Venue[id].MinOrderSize = ExactDecimal.Parse(minOrderSize);
                h.Venue[id].NegRisk = negRisk;
            }

            long ts = 1000;
            var fetched = false;
            for (var i = 0; i <= steps.Length; i++)
            {
                if (i == metadataAt && !fetched)
                {
                    fetched = true;
                    h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("A", h.Venue["A"].Timestamp!.Value), ts);
                    h.Engine.ApplyRestSnapshot(h.Venue.RestSnapshot("B", h.Venue["B"].Timestamp!.Value), ts);
                }

                if (i == steps.Length)
                {
                    break;
                }

                var (kind, price, size, buy) = steps[i];
                var p = ExactDecimal.FromParts(price, 2).Normalize();
                var (side, other) = buy ? (Side.Buy, Side.Sell) : (Side.Sell, Side.Buy);
                ts++;
                switch (kind)
                {
                    case < 6:
                        h.Feed(h.Venue.ChangeFrame(ts, [("A", side, p.ToString(), $"{size}"), ("B", other, p.OneMinus().Normalize().ToString(), $"{size}")]));
                        break;
                    case 6 or 7:
                        h.Venue.Trade("A", p.ToString());
                        h.Feed(Venue.TradeFrame("A", p.ToString(), ts));
                        h.Feed(h.Venue.BookFrame("A", ts, withLastTradePrice: true));
                        break;
                    default:
                        h.Feed(h.Venue.BookFrame(buy ? "A" : "B", ts));
                        break;
                }

                foreach (var id in (string[])["A", "B"])
                {
                    var view = h.View(id);
                    Assert.True(fetched || view.State == BookTrustState.Unsynced, "no book is trusted before its metadata");
                    if (view.State == BookTrustState.Synced)
                    {
                        Assert.Equal(h.Venue[id].Bids.ToArray(), view.Summary.Bids.AsSpan().ToArray());
                        Assert.Equal(h.Venue[id].Asks.ToArray(), view.Summary.Asks.AsSpan().ToArray());
                        Assert.Equal(h.Venue[id].ComputeHash(), view.Summary.ComputeHash());
                    }
                }
            }

            var events = h.Drain();
            Assert.Equal(0, h.Engine.Counts.HashMismatches);
            Assert.Empty(h.Resyncs);
            Assert.DoesNotContain(events, e => e is HashMismatchDetected);
            Assert.Equal((fetched, fetched), (h.Engine.Metadata.Get("A") is not null, h.Engine.Metadata.Get("B") is not null));
        }, iter: 200);
    }
}
