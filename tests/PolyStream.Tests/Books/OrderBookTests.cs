using PolyStream.Books;
using PolyStream.Protocol;
using static PolyStream.Tests.TestSupport.BookBuilder;

namespace PolyStream.Tests.Books;

public sealed class OrderBookTests
{
    private static OrderBook TypicalBook()
    {
        var book = new OrderBook("A");
        book.ReplaceWithSnapshotNoHash(Snapshot(
            "A",
            Levels(("0.01", "100"), ("0.45", "20"), ("0.47", "5.5")),
            Levels(("0.99", "80"), ("0.6", "10"), ("0.5", "3"))));
        return book;
    }

    [Fact]
    public void SetLevel_PastTheLevelCapOfASide_Throws()
    {
        var book = new OrderBook("A");
        for (var i = 1; i <= WireLimits.MaxLevelsPerSide; i++)
        {
            book.SetLevel(Side.Sell, ExactDecimal.Parse($"0.{i:D9}"), ExactDecimal.Parse("1"));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => book.SetLevel(Side.Sell, ExactDecimal.Parse("0.9"), ExactDecimal.Parse("1")));
        book.SetLevel(Side.Sell, ExactDecimal.Parse("0.000000001"), ExactDecimal.Parse("2")); // an existing level still changes
        Assert.Equal(WireLimits.MaxLevelsPerSide, book.Asks.Length);
    }

    [Fact]
    public void ReplaceWithSnapshot_UnsortedLevels_AreSortedIntoWireOrder()
    {
        var book = new OrderBook("A");

        book.ReplaceWithSnapshotNoHash(Snapshot("A", Levels(("0.47", "1"), ("0.01", "2"), ("0.3", "3")), Levels(("0.5", "1"), ("0.99", "2"), ("0.6", "3"))));

        Assert.Equal(["0.01", "0.3", "0.47"], book.Bids.ToArray().Select(l => l.Price.ToString()));
        Assert.Equal(["0.99", "0.6", "0.5"], book.Asks.ToArray().Select(l => l.Price.ToString()));
        Assert.True(book.HasSnapshot);
    }

    [Fact]
    public void ReplaceWithSnapshot_RepeatedPrice_KeepsTheLastSize()
    {
        var book = new OrderBook("A");

        book.ReplaceWithSnapshotNoHash(Snapshot("A", Levels(("0.4", "1"), ("0.4", "7")), []));

        Assert.Equal("7", Assert.Single(book.Bids.ToArray()).Size.ToString());
    }

    [Fact]
    public void TopOfBook_TypicalBook_ReadsTheBestLevels()
    {
        var book = TypicalBook();

        Assert.Equal("0.47", book.BestBid!.Value.Price.ToString());
        Assert.Equal("0.5", book.BestAsk!.Value.Price.ToString());
        Assert.Equal(0.03m, book.Spread);
        Assert.Equal(0.485m, book.Midpoint);
        Assert.False(book.IsCrossed);
    }

    [Fact]
    public void TopOfBook_EmptySide_IsNull()
    {
        var book = new OrderBook("A");
        book.ReplaceWithSnapshotNoHash(Snapshot("A", Levels(("0.4", "1")), []));

        Assert.Null(book.BestAsk);
        Assert.Null(book.Spread);
        Assert.Null(book.Midpoint);
    }

    [Fact]
    public void ApplyPriceChange_NewExistingAndZeroSizes_InsertUpdateAndRemove()
    {
        var book = TypicalBook();

        var result = book.ApplyPriceChange(
            Change(9, ("A", Side.Buy, "0.46", "4"), ("A", Side.Buy, "0.45", "21"), ("A", Side.Sell, "0.5", "0"), ("B", Side.Sell, "0.54", "4")),
            verify: false);

        Assert.Equal(3, result.AppliedChanges);
        Assert.Equal(HashOutcome.NotChecked, result.Hash.Outcome);
        Assert.Equal(["0.01", "0.45", "0.46", "0.47"], book.Bids.ToArray().Select(l => l.Price.ToString()));
        Assert.Equal("21", book.Bids[1].Size.ToString());
        Assert.Equal("0.6", book.BestAsk!.Value.Price.ToString());
        Assert.Equal(9, book.Timestamp);
    }

    [Fact]
    public void ComputeHash_AfterEveryKindOfChange_EqualsTheHashRenderedFromScratch()
    {
        // A live book keeps each side's hash text between changes; every change must drop it.
        var book = TypicalBook();
        var steps = new (string Name, Action Change)[]
        {
            ("insert a bid", () => book.SetLevel(Side.Buy, ExactDecimal.Parse("0.46"), ExactDecimal.Parse("4"))),
            ("update an ask", () => book.SetLevel(Side.Sell, ExactDecimal.Parse("0.6"), ExactDecimal.Parse("11"))),
            ("remove a bid", () => book.SetLevel(Side.Buy, ExactDecimal.Parse("0.01"), ExactDecimal.Parse("0"))),
            ("apply a delta", () => book.ApplyPriceChange(Change(9, ("A", Side.Sell, "0.55", "2")), verify: false)),
            ("take a snapshot", () => book.ReplaceWithSnapshotNoHash(Snapshot("A", Levels(("0.2", "0"), ("0.3", "1")), Levels(("0.7", "2"))))),
            ("clean zero sizes", () => book.ValidateAndClean()),
            ("clear", () => book.Clear()),
        };

        foreach (var (name, change) in steps)
        {
            // Hash first, so a stale cached side would be there to be (wrongly) reused.
            book.ComputeHash();
            change();
            Assert.True(book.Summary().ComputeHash() == book.ComputeHash(), name);
        }
    }

    [Fact]
    public void ApplyPriceChange_OnlySiblingEntries_LeavesTheBookUntouched()
    {
        var book = TypicalBook();
        var before = book.Summary();

        var result = book.ApplyPriceChange(Change(9, ("B", Side.Buy, "0.2", "1")));

        Assert.Equal(0, result.AppliedChanges);
        Assert.True(before.HasSameContent(book.Summary()));
    }

    [Fact]
    public void ApplyPriceChange_RemovingAMissingLevel_IsANoOp()
    {
        var book = TypicalBook();

        book.ApplyPriceChange(Change(1, ("A", Side.Buy, "0.2", "0")), verify: false);

        Assert.Equal(3, book.Bids.Length);
    }

    [Fact]
    public void ApplyPriceChange_RealCapture_MatchesTheVenueHashes()
    {
        var parser = new FrameParser();
        var lines = File.ReadAllLines(Fixture.PathOf("captures/polypy_2025-10_v9.ndjson"));
        var snapshot = (BookEvent)parser.Parse(Fixture.Utf8(lines[0])).Events[0];
        var book = new OrderBook(snapshot.AssetId);

        Assert.Equal(HashOutcome.Matched, book.ReplaceWithSnapshot(snapshot, BookHashVersion.V9).Outcome);
        foreach (var line in lines.Skip(1))
        {
            var change = (PriceChangeEvent)parser.Parse(Fixture.Utf8(line)).Events[0];
            Assert.Equal(HashOutcome.Matched, book.ApplyPriceChange(change, BookHashVersion.V9).Hash.Outcome);
        }
    }

    [Fact]
    public void ReplaceWithSnapshot_WrongMetadata_ReportsTheMismatchAndStillTakesTheData()
    {
        var parser = new FrameParser();
        var snapshot = (BookEvent)parser.Parse(Fixture.Utf8(File.ReadLines(Fixture.PathOf("captures/polypy_2025-10_v9.ndjson")).First())).Events[0];
        var book = new OrderBook(snapshot.AssetId) { MinOrderSize = ExactDecimal.Parse("15") };

        var check = book.ReplaceWithSnapshot(snapshot, BookHashVersion.V9);

        Assert.True(check.IsMismatch);
        Assert.Equal(snapshot.Hash, check.Expected);
        Assert.NotEqual(check.Expected, check.Actual);
        Assert.Equal(snapshot.Bids.Length, book.Bids.Length);
    }

    [Fact]
    public void ReplaceWithSnapshot_NoHashSent_SaysSo()
    {
        Assert.Equal(HashOutcome.NoHash, new OrderBook("A").ReplaceWithSnapshot(Snapshot("A", [], [])).Outcome);
    }

    [Fact]
    public void ReplaceWithSnapshot_OtherToken_Throws()
    {
        Assert.Throws<ArgumentException>(() => new OrderBook("A").ReplaceWithSnapshotNoHash(Snapshot("B", [], [])));
    }

    [Fact]
    public void Depth_TwoLevels_ReturnsBestFirst()
    {
        var depth = TypicalBook().Depth(2);

        Assert.Equal(["0.47", "0.45"], depth.Bids.Select(l => l.Price.ToString()));
        Assert.Equal(["0.5", "0.6"], depth.Asks.Select(l => l.Price.ToString()));
        Assert.Equal(3, TypicalBook().Depth(10).Bids.Length);
    }

    [Fact]
    public void IsCrossed_BidAtTheAsk_IsDetectedButNotRepaired()
    {
        var book = TypicalBook();
        book.SetLevel(Side.Buy, ExactDecimal.Parse("0.5"), ExactDecimal.Parse("1"));

        var validation = book.ValidateAndClean();

        Assert.True(book.IsCrossed);
        Assert.True(validation.IsCrossed);
        Assert.Equal(0, validation.RemovedLevels);
        Assert.Equal("0.5", book.BestBid!.Value.Price.ToString());
    }

    [Fact]
    public void ReplaceWithSnapshot_ZeroSizeLevels_AreAbsentFromTheBook()
    {
        var book = new OrderBook("A");
        book.ReplaceWithSnapshotNoHash(Snapshot("A", Levels(("0.1", "0"), ("0.2", "5"), ("0.3", "2"), ("0.3", "0")), Levels(("0.9", "0"))));

        Assert.Equal(["0.2"], book.Bids.ToArray().Select(l => l.Price.ToString()));
        Assert.Empty(book.Asks.ToArray());
        Assert.True(book.ValidateAndClean().IsClean);
    }

    [Fact]
    public void SetLevel_PriceAboveOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OrderBook("A").SetLevel(Side.Buy, ExactDecimal.Parse("1.01"), ExactDecimal.One));
    }

    [Fact]
    public void ProjectComplement_TypicalBook_MirrorsPricesAndSides()
    {
        var book = TypicalBook();
        book.LastTradePrice = ExactDecimal.Parse("0.470");

        var complement = book.ProjectComplement("B");

        Assert.Equal(["0.01", "0.4", "0.5"], complement.Bids.ToArray().Select(l => l.Price.ToString()));
        Assert.Equal(["0.99", "0.55", "0.53"], complement.Asks.ToArray().Select(l => l.Price.ToString()));
        Assert.Equal("0.530", complement.LastTradePrice.ToString());
        Assert.True(OrderBook.AreMirrors(book, complement));
        Assert.True(OrderBook.AreMirrors(complement, book));
    }

    [Fact]
    public void AreMirrors_SizeDiffers_IsFalse()
    {
        var book = TypicalBook();
        var complement = book.ProjectComplement("B");
        complement.SetLevel(Side.Buy, ExactDecimal.Parse("0.5"), ExactDecimal.Parse("999"));

        Assert.False(OrderBook.AreMirrors(book, complement));
    }

    [Fact]
    public void RecordTrade_TwoDecimalPrice_IsHashedWithThreeDecimals()
    {
        var book = TypicalBook();

        book.RecordTrade(new LastTradePriceEvent { Market = "0xmarket", AssetId = "A", Price = ExactDecimal.Parse("0.45") });

        Assert.Equal("0.450", book.LastTradePrice.ToString());
    }

    [Fact]
    public void Summary_IsAnIndependentCopy()
    {
        var book = TypicalBook();
        var summary = book.Summary();

        book.SetLevel(Side.Buy, ExactDecimal.Parse("0.45"), ExactDecimal.Zero);

        Assert.Equal(3, summary.Bids.Length);
        Assert.Equal(book.ComputeHash(), book.Summary().ComputeHash());
        Assert.NotEqual(summary.ComputeHash(), book.ComputeHash());
    }

    [Fact]
    public void Clear_GatesDeltasUntilTheNextSnapshot()
    {
        var book = TypicalBook();

        book.Clear();

        Assert.False(book.HasSnapshot);
        Assert.Empty(book.Bids.ToArray());
    }

    [Theory]
    [InlineData("0.85", "0.86", "0.01")]
    [InlineData("0.011", "0.989", "0.978")]
    [InlineData("0.5", "0.5", "0")]
    [InlineData("0.52", "0.5", "-0.02")]
    public void Spread_BothSides_IsBestAskMinusBestBidExactly(string bid, string ask, string spread)
    {
        var book = new OrderBook("A");
        book.ReplaceWithSnapshotNoHash(Snapshot("A", Levels(("0.01", "1"), (bid, "2")), Levels(("0.999", "1"), (ask, "2"))));

        var view = new Events.BookView { AssetId = "A", Summary = book.Summary(), State = Events.BookTrustState.Synced };

        Assert.Equal(decimal.Parse(spread, System.Globalization.CultureInfo.InvariantCulture), book.Summary().Spread);
        Assert.Equal(book.Summary().Spread, view.Spread);
        Assert.Equal(bid.CompareTo(ask) >= 0, book.Summary().IsCrossed);
    }

    [Fact]
    public void Spread_ASideEmpty_IsNull()
    {
        var book = new OrderBook("A");
        book.ReplaceWithSnapshotNoHash(Snapshot("A", Levels(("0.4", "1")), []));

        Assert.Null(book.Summary().Spread);
        Assert.Null(new OrderBook("B").Summary().Spread);
    }
}
