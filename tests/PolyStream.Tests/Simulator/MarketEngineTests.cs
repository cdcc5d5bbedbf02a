using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator;
using PolyStream.Simulator.Engine;

namespace PolyStream.Tests.Simulator;

public sealed partial class MarketEngineTests
{
    [Fact]
    public void Step_OverHundredThousandFrames_EveryEmittedHashVerifiesWithCoreLibrary()
    {
        var harness = new MarketEngineHarness(markets: 20, seed: 7);
        var steps = 0;
        while (harness.Frames < 100_000 && steps < 1_000_000)
        {
            harness.Run(1000);
            steps += 1000;
        }

        Assert.Empty(harness.Failures);
        Assert.True(harness.Frames >= 100_000, $"only {harness.Frames} frames");
        Assert.True(harness.Matched >= 100_000, $"only {harness.Matched} hashes matched");
        foreach (var (asset, book) in harness.Books)
        {
            var truth = harness.Engine.GetBook(asset);
            Assert.NotNull(truth);
            Assert.True(truth.HasSameContent(book.Summary()), $"replica of {asset} differs from ground truth");
            Assert.Equal(truth.Hash, book.ComputeHash());
        }
    }

    [Fact]
    public void Step_SameSeedAndSteps_SameFramesAndBooks()
    {
        var first = new MarketEngineHarness(markets: 5, seed: 42);
        var second = new MarketEngineHarness(markets: 5, seed: 42);
        var a = first.Engine.Step(2000);
        var b = second.Engine.Step(2000);

        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Text, b[i].Text);
        }

        var other = new MarketEngineHarness(markets: 5, seed: 43);
        Assert.NotEqual(first.Engine.Markets[0].YesTokenId, other.Engine.Markets[0].YesTokenId);
    }

    [Fact]
    public void Step_AnyState_TokensAreMirrorImages()
    {
        var harness = new MarketEngineHarness(markets: 10, seed: 3, lifecycle: false);
        for (var round = 0; round < 20; round++)
        {
            harness.Engine.Step(250);
            foreach (var market in harness.Engine.Markets)
            {
                var yes = Replica(harness.Engine.GetBook(market.YesTokenId)!);
                var no = Replica(harness.Engine.GetBook(market.NoTokenId)!);
                Assert.True(OrderBook.AreMirrors(yes, no));
            }
        }
    }

    [Fact]
    public void Step_PriceChange_CarriesBothTokensInWireKeyOrder()
    {
        var harness = new MarketEngineHarness(markets: 3, seed: 5, lifecycle: false);
        var frame = harness.Engine.Step(200).First(f => f.Kind == WireEventKind.PriceChange);
        var market = harness.Engine.FindMarket(frame.Market)!;

        Assert.Matches(PriceChangeShape(), frame.Text);
        Assert.Contains($"\"asset_id\":\"{market.YesTokenId}\"", frame.Text, StringComparison.Ordinal);
        Assert.Contains($"\"asset_id\":\"{market.NoTokenId}\"", frame.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_Trade_EmitsLastTradePriceThenBooksWithThreeDecimalLastTradePrice()
    {
        var harness = new MarketEngineHarness(markets: 3, seed: 11, lifecycle: false);
        var frames = harness.Engine.Step(2000);
        var tradeIndex = frames.ToList().FindIndex(f => f.Kind == WireEventKind.LastTradePrice);
        Assert.True(tradeIndex > 0);

        Assert.Equal(WireEventKind.PriceChange, frames[tradeIndex - 1].Kind);
        Assert.Matches(LastTradeShape(), frames[tradeIndex].Text);
        var book = frames.Skip(tradeIndex).First(f => f.Kind == WireEventKind.Book);
        Assert.Matches(BookShape(), book.Text);
        Assert.Matches(ThreeDecimalLastTrade(), book.Text);
    }

    [Fact]
    public void Step_BookFrames_BidsAscendingAsksDescending()
    {
        var harness = new MarketEngineHarness(markets: 4, seed: 9, lifecycle: false);
        var parser = new FrameParser();
        var books = 0;
        foreach (var frame in harness.Engine.Step(3000).Where(f => f.Kind == WireEventKind.Book))
        {
            var book = (BookEvent)parser.Parse(frame.Utf8.Span).Events[0];
            for (var i = 1; i < book.Bids.Length; i++)
            {
                Assert.True(book.Bids[i - 1].Price < book.Bids[i].Price);
            }

            for (var i = 1; i < book.Asks.Length; i++)
            {
                Assert.True(book.Asks[i - 1].Price > book.Asks[i].Price);
            }

            books++;
        }

        Assert.True(books > 0);
    }

    [Fact]
    public void Step_PriceAbove096_EmitsTickSizeChangeThenBookWithNewTick()
    {
        var harness = new MarketEngineHarness(markets: 1, seed: 2, lifecycle: false);
        var market = harness.Engine.Markets[0];
        var found = false;
        for (var attempt = 0; attempt < 20_000 && !found; attempt++)
        {
            harness.Engine.SetFairValue(market.ConditionId, 0.99m);
            var frames = harness.Engine.Step();
            var index = frames.ToList().FindIndex(f => f.Kind == WireEventKind.TickSizeChange);
            if (index < 0)
            {
                continue;
            }

            found = true;
            Assert.Matches(TickChangeShape(), frames[index].Text);
            Assert.Contains("\"new_tick_size\":\"0.001\",\"old_tick_size\":\"0.01\"", frames[index].Text, StringComparison.Ordinal);
            var book = frames.Skip(index).First(f => f.Kind == WireEventKind.Book);
            Assert.Contains("\"tick_size\":\"0.001\"", book.Text, StringComparison.Ordinal);
        }

        Assert.True(found, "no tick_size_change within 20,000 steps");
    }

    [Fact]
    public void Step_Lifecycle_EmitsNewMarketAndMarketResolved()
    {
        var harness = new MarketEngineHarness(markets: 5, seed: 1);
        var frames = harness.Engine.Step(30_000);
        var resolved = frames.First(f => f.Kind == WireEventKind.MarketResolved);
        var listed = frames.First(f => f.Kind == WireEventKind.NewMarket);

        Assert.StartsWith("{\"event_type\":\"market_resolved\",\"id\":", resolved.Text, StringComparison.Ordinal);
        Assert.StartsWith("{\"id\":", listed.Text, StringComparison.Ordinal);
        Assert.True(resolved.IsCustomFeature && listed.IsCustomFeature);
        Assert.Null(harness.Engine.GetBook(resolved.AssetIds[0]));
        Assert.IsType<NewMarketEvent>(new FrameParser().Parse(listed.Utf8.Span).Events[0]);
    }

    [Fact]
    public void Step_AccountOrders_EmitOrderAndTradeStatusSequence()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016));
        var engine = new MarketEngine(new SimulatorOptions { Markets = 3, Seed = 4, AccountOrderShare = 0.5, MarketLifecycle = false }, time);
        var frames = engine.Step(5000);
        var orders = frames.Where(f => f.Kind == WireEventKind.Order).Select(f => f.Text).ToList();
        var trades = frames.Where(f => f.Kind == WireEventKind.Trade).Select(f => f.Text).ToList();

        Assert.Contains(orders, o => o.Contains("\"type\":\"PLACEMENT\"", StringComparison.Ordinal));
        Assert.Contains(orders, o => o.Contains("\"type\":\"UPDATE\"", StringComparison.Ordinal));
        Assert.Contains(orders, o => o.Contains("\"type\":\"CANCELLATION\"", StringComparison.Ordinal));
        var firstId = TradeId().Match(trades[0]).Groups[1].Value;
        var statuses = trades.Where(t => t.Contains(firstId, StringComparison.Ordinal)).Select(t => TradeStatus().Match(t).Groups[1].Value).ToList();
        Assert.Equal(["MATCHED", "MINED", "CONFIRMED"], statuses);
        var parsed = new FrameParser().Parse(Encoding.UTF8.GetBytes(trades[0]));
        Assert.True(parsed.IsSuccess);
        Assert.IsType<TradeEvent>(parsed.Events[0]);
    }

    [Fact]
    public void Step_AccountOrder_PlacementWithNothingMatchedComesFirst()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016));
        var engine = new MarketEngine(new SimulatorOptions { Markets = 3, Seed = 4, AccountOrderShare = 0.5, MarketLifecycle = false }, time);
        var orders = engine.Step(5000).Where(f => f.Kind == WireEventKind.Order).Select(f => f.Text).ToList();

        var placements = orders.Where(o => o.Contains("\"type\":\"PLACEMENT\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(placements);
        Assert.All(placements, p => Assert.Contains("\"size_matched\":\"0\"", p, StringComparison.Ordinal));
        foreach (var order in orders.Where(o => !o.Contains("PLACEMENT", StringComparison.Ordinal)))
        {
            var id = OrderId().Match(order).Groups[1].Value;
            Assert.StartsWith("0x", id, StringComparison.Ordinal);
            var placement = orders.FindIndex(o => o.Contains(id, StringComparison.Ordinal));
            Assert.Contains("PLACEMENT", orders[placement], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Step_PriceChangeWithoutTrade_GroundTruthHashAndTimestampEqualTheFrames()
    {
        var harness = new MarketEngineHarness(markets: 3, seed: 13, lifecycle: false);
        var parser = new FrameParser();
        var checkedSteps = 0;
        for (var step = 0; step < 2000; step++)
        {
            var frames = harness.Engine.Step();
            if (frames.Any(f => f.Kind == WireEventKind.LastTradePrice) || frames.FirstOrDefault(f => f.Kind == WireEventKind.PriceChange) is not { } frame)
            {
                continue;
            }

            var change = (PriceChangeEvent)parser.Parse(frame.Utf8.Span).Events[0];
            foreach (var entry in change.Changes)
            {
                var truth = harness.Engine.GetBook(entry.AssetId)!;
                Assert.Equal(entry.Hash, truth.Hash);
                Assert.Equal(change.Timestamp, truth.Timestamp);
                Assert.Equal(entry.BestBid, truth.Bids.IsEmpty ? null : truth.Bids[^1].Price);
                Assert.Equal(entry.BestAsk, truth.Asks.IsEmpty ? null : truth.Asks[^1].Price);
            }

            checkedSteps++;
        }

        Assert.True(checkedSteps > 500, $"only {checkedSteps} steps checked");
    }

    [Fact]
    public void History_AfterSteps_EveryFrameInOrderWithinLimit()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016));
        var engine = new MarketEngine(new SimulatorOptions { Markets = 3, Seed = 6, HistoryLimit = 500 }, time);
        var frames = engine.Step(400);
        var more = engine.Step(400);

        var history = engine.History;

        Assert.Equal(500, history.Count);
        Assert.Equal(frames.Concat(more).TakeLast(500).Select(f => f.Sequence), history.Select(f => f.Sequence));
        Assert.Equal(engine.FrameCount, history[^1].Sequence);
    }

    [Fact]
    public void Constructor_NegRiskAndMinOrderSize_HashedIntoEveryBook()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_775_740_020_016));
        var engine = new MarketEngine(new SimulatorOptions { Markets = 2, Seed = 6, NegRisk = true, MinOrderSize = "15" }, time);
        engine.Step(100);

        var book = engine.GetBook(engine.Markets[0].NoTokenId)!;

        Assert.True(book.NegRisk);
        Assert.Equal("15", book.MinOrderSize.ToString());
        Assert.Equal(book.Hash, book.ComputeHash());
    }

    private static OrderBook Replica(BookSummary summary)
    {
        var book = new OrderBook(summary.AssetId, summary.Market);
        book.ReplaceWithSnapshotNoHash(summary.ToSnapshot());
        return book;
    }

    private const string Dec = "\"[0-9]+(\\.[0-9]*[1-9])?\"";

    [GeneratedRegex("^\\{\"market\":\"0x[0-9a-f]{64}\",\"price_changes\":\\[(\\{\"asset_id\":\"[0-9]+\",\"price\":" + Dec + ",\"size\":" + Dec + ",\"side\":\"(BUY|SELL)\",\"hash\":\"[0-9a-f]{40}\",\"best_bid\":(" + Dec + "|\"\"),\"best_ask\":(" + Dec + "|\"\")\\},?)+\\],\"timestamp\":\"[0-9]{13}\",\"event_type\":\"price_change\"\\}$")]
    private static partial Regex PriceChangeShape();

    [GeneratedRegex("^\\{\"asset_id\":\"[0-9]+\",\"event_type\":\"last_trade_price\",\"fee_rate_bps\":\"0\",\"market\":\"0x[0-9a-f]{64}\",\"price\":" + Dec + ",\"side\":\"(BUY|SELL)\",\"size\":" + Dec + ",\"timestamp\":\"[0-9]{13}\",\"transaction_hash\":\"0x[0-9a-f]{64}\"\\}$")]
    private static partial Regex LastTradeShape();

    [GeneratedRegex("^\\{\"market\":\"0x[0-9a-f]{64}\",\"asset_id\":\"[0-9]+\",\"timestamp\":\"[0-9]{13}\",\"hash\":\"[0-9a-f]{40}\",\"bids\":\\[.*\\],\"asks\":\\[.*\\],\"tick_size\":\"0\\.0?01\",\"event_type\":\"book\",\"last_trade_price\":\"([0-9]\\.[0-9]{3})?\"\\}$")]
    private static partial Regex BookShape();

    [GeneratedRegex("\"last_trade_price\":\"[0-9]\\.[0-9]{3}\"\\}$")]
    private static partial Regex ThreeDecimalLastTrade();

    [GeneratedRegex("^\\{\"asset_id\":\"[0-9]+\",\"event_type\":\"tick_size_change\",\"market\":\"0x[0-9a-f]{64}\",\"new_tick_size\":\"[0-9.]+\",\"old_tick_size\":\"[0-9.]+\",\"timestamp\":\"[0-9]{13}\"\\}$")]
    private static partial Regex TickChangeShape();

    [GeneratedRegex("^\\{\"id\":\"(0x[0-9a-f]{64})\"")]
    private static partial Regex OrderId();

    [GeneratedRegex("\"id\":\"([0-9a-f-]{36})\"")]
    private static partial Regex TradeId();

    [GeneratedRegex("\"status\":\"([A-Z]+)\"")]
    private static partial Regex TradeStatus();
}
