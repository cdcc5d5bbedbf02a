using PolyStream.Protocol;

namespace PolyStream.Tests.Protocol;

/// <summary>Every wire sample in the fixtures parses to the right event with the right fields.</summary>
public sealed class FrameParserSampleTests
{
    private readonly FrameParser _parser = new();

    private T ParseSingle<T>(byte[] frame)
        where T : WireEvent
    {
        var result = _parser.Parse(frame);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return Assert.IsType<T>(Assert.Single(result.Events));
    }

    [Fact]
    public void Parse_FlatPriceChange2024_NormalisesToOneChange()
    {
        var change = ParseSingle<PriceChangeEvent>(Fixture.Sample("nautilus_ws_price_change.json"));

        Assert.Equal(PriceChangeShape.Flat, change.Shape);
        Assert.Equal("0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917", change.Market);
        Assert.Equal(1723967931411, change.Timestamp);
        var entry = Assert.Single(change.Changes);
        Assert.Equal("48331043336612883890938759509493159234755048973500640148014422747788308965732", entry.AssetId);
        Assert.Equal("0.514", entry.Price.ToString());
        Assert.Equal("21574.08", entry.Size.ToString());
        Assert.Equal(Side.Sell, entry.Side);
        Assert.Equal("bf32b3746fff40c76c98021b7f3f07261169dd26", entry.Hash.ToString());
    }

    [Fact]
    public void Parse_CurrentPriceChange_KeepsEveryEntryInOrder()
    {
        var change = ParseSingle<PriceChangeEvent>(Fixture.Sample("nautilus_ws_price_change_v2.json"));

        Assert.Equal(PriceChangeShape.Current, change.Shape);
        Assert.Equal(1729084877448, change.Timestamp);
        Assert.Equal(["0.6", "0.5", "0.7"], change.Changes.Select(c => c.Price.ToString()));
        Assert.Equal(["3300", "3400", "3400"], change.Changes.Select(c => c.Size.ToString()));
        Assert.All(change.Changes, c => Assert.Equal(Side.Buy, c.Side));
        Assert.Equal("af32b3746fff40c76c98021b7f3f07261169dd27", change.Changes[1].Hash.ToString());
        Assert.Equal("0.6", change.Changes[0].BestBid.ToString());
        Assert.Equal("0.7", change.Changes[0].BestAsk.ToString());
    }

    [Fact]
    public void Parse_LegacyChangesShape_CopiesTopLevelAssetAndHashToEachChange()
    {
        var frame = Fixture.Utf8("""
            {"asset_id":"7132","changes":[{"price":"0.4","side":"SELL","size":"3300"},{"price":"0.39","side":"BUY","size":"0"}],"event_type":"price_change","market":"0x5f65","timestamp":"1729084877448","hash":"3cd4d61e042c81560c9037ece0c61f3b1a8fbbdd"}
            """);

        var change = ParseSingle<PriceChangeEvent>(frame);

        Assert.Equal(PriceChangeShape.Legacy, change.Shape);
        Assert.Equal(2, change.Changes.Length);
        Assert.All(change.Changes, c => Assert.Equal("7132", c.AssetId));
        Assert.All(change.Changes, c => Assert.Equal("3cd4d61e042c81560c9037ece0c61f3b1a8fbbdd", c.Hash.ToString()));
        Assert.True(change.Changes[1].Size.IsZero);
        Assert.Null(change.Changes[0].BestBid);
    }

    [Fact]
    public void Parse_LastTradePrice_ReadsEveryField()
    {
        var trade = ParseSingle<LastTradePriceEvent>(Fixture.Sample("nautilus_ws_last_trade_price.json"));

        Assert.Equal("21742633143463906290569050155826241533067272736897614950488156847949938836455", trade.AssetId);
        Assert.Equal("0.491", trade.Price.ToString());
        Assert.Equal("85.36", trade.Size.ToString());
        Assert.Equal(Side.Sell, trade.Side);
        Assert.Equal("0", trade.FeeRateBps);
        Assert.Equal(1724564136087, trade.Timestamp);
    }

    [Fact]
    public void Parse_TickSizeChange_ReadsOldAndNewTick()
    {
        var tick = ParseSingle<TickSizeChangeEvent>(Fixture.Sample("nautilus_ws_tick_size_change.json"));

        Assert.Equal("0.01", tick.OldTickSize.ToString());
        Assert.Equal("0.001", tick.NewTickSize.ToString());
        Assert.Equal(1739068041853, tick.Timestamp);
    }

    [Fact]
    public void Parse_BestBidAsk_ReadsTopOfBook()
    {
        var top = ParseSingle<BestBidAskEvent>(Fixture.Sample("nautilus_ws_market_best_bid_ask_msg.json"));

        Assert.Equal("0.73", top.BestBid.ToString());
        Assert.Equal("0.77", top.BestAsk.ToString());
        Assert.Equal("0.04", top.Spread.ToString());
        Assert.Equal("0x0005c0d312de0be897668695bae9f32b624b4a1ae8b140c49f08447fcc74f442", top.Market);
    }

    [Fact]
    public void Parse_BestBidAskWithEmptySides_GivesNulls()
    {
        var top = ParseSingle<BestBidAskEvent>(Fixture.Utf8("""{"event_type":"best_bid_ask","market":"0x1","asset_id":"2","best_bid":"","best_ask":"","spread":"","timestamp":"1"}"""));

        Assert.Null(top.BestBid);
        Assert.Null(top.BestAsk);
        Assert.Null(top.Spread);
    }

    [Fact]
    public void Parse_NewMarket_ReadsIdsOutcomesAndTick()
    {
        var market = ParseSingle<NewMarketEvent>(Fixture.Sample("nautilus_ws_market_new_market_msg.json"));

        Assert.Equal("1031769", market.Id);
        Assert.Equal("nvda-above-240-on-january-30-2026", market.Slug);
        Assert.Equal(2, market.AssetIds.Length);
        Assert.Equal(["Yes", "No"], market.Outcomes);
        Assert.Equal("0.01", market.TickSize.ToString());
        Assert.True(market.Active);
        Assert.Equal(["stocks"], market.Tags);
        Assert.Equal(1766790415550, market.Timestamp);
    }

    [Fact]
    public void Parse_MarketResolved_ReadsTheWinner()
    {
        var resolved = ParseSingle<MarketResolvedEvent>(Fixture.Sample("nautilus_ws_market_resolved_msg.json"));

        Assert.Equal("76043073756653678226373981964075571318267289248134717369284518995922789326425", resolved.WinningAssetId);
        Assert.Equal("Yes", resolved.WinningOutcome);
        Assert.Equal(resolved.WinningAssetId, resolved.AssetIds[0]);
    }

    [Fact]
    public void Parse_OrderPlacement_ReadsTheOrder()
    {
        var order = ParseSingle<OrderEvent>(Fixture.Sample("nautilus_ws_order_placement.json"));

        Assert.Equal("PLACEMENT", order.Type);
        Assert.Equal("LIVE", order.Status);
        Assert.Equal(Side.Buy, order.Side);
        Assert.Equal("0.513", order.Price.ToString());
        Assert.Equal("5", order.OriginalSize.ToString());
        Assert.Equal("0", order.SizeMatched.ToString());
        Assert.Equal("GTC", order.OrderType);
        Assert.Empty(order.AssociateTrades);
        Assert.Equal(1725842520, order.CreatedAt);
        Assert.Equal(1725842520990, order.Timestamp);
    }

    [Fact]
    public void Parse_OrderCancel_IsCanceled()
    {
        var order = ParseSingle<OrderEvent>(Fixture.Sample("nautilus_ws_order_cancel.json"));

        Assert.Equal("CANCELLATION", order.Type);
        Assert.Equal("CANCELED", order.Status);
        Assert.Equal(Side.Sell, order.Side);
    }

    [Fact]
    public void Parse_FokKilledOrder_KeepsReasonAndEmptyFields()
    {
        var order = ParseSingle<OrderEvent>(Fixture.Sample("nautilus_ws_user_order_fok_killed.json"));

        Assert.StartsWith("CANCELED_order couldn't be fully filled", order.Status, StringComparison.Ordinal);
        Assert.Null(order.SizeMatched);
        Assert.Null(order.CreatedAt);
        Assert.Equal("FOK", order.OrderType);
    }

    [Fact]
    public void Parse_VenueCancelWithoutEventType_IsInferredFromItsType()
    {
        var order = ParseSingle<OrderEvent>(Fixture.Sample("nautilus_ws_user_order_venue_cancel.json"));

        Assert.Equal("INVALID", order.Status);
        Assert.Equal("CANCELLATION", order.Type);
        Assert.Equal("0.53", order.Price.ToString());
    }

    [Theory]
    [InlineData("nautilus_ws_user_trade1.json", "MINED", 6, "1096.87")]
    [InlineData("nautilus_ws_user_trade2.json", "MATCHED", 1, "5")]
    [InlineData("nautilus_ws_user_trade3.json", "CONFIRMED", 1, "5")]
    public void Parse_Trade_ReadsStatusAndMakerOrders(string sample, string status, int makers, string size)
    {
        var trade = ParseSingle<TradeEvent>(Fixture.Sample(sample));

        Assert.Equal(status, trade.Status);
        Assert.Equal(makers, trade.MakerOrders.Length);
        Assert.Equal(size, trade.Size.ToString());
        Assert.Equal(Side.Buy, trade.Side);
        Assert.NotNull(trade.MatchTime);
        Assert.False(string.IsNullOrEmpty(trade.MakerOrders[0].OrderId));
    }

    [Fact]
    public void Parse_RealBookFromCapture_ReadsLevelsInWireOrder()
    {
        var frame = File.ReadLines(Fixture.PathOf("captures/polypy_2025-10_v9.ndjson")).First();

        var book = ParseSingle<BookEvent>(Fixture.Utf8(frame));

        Assert.Equal(1761179883493, book.Timestamp);
        Assert.Equal("f2bdf6bab7473bb8b9925aae72cee9242400db0a", book.Hash.ToString());
        Assert.Equal("0.01", book.Bids[0].Price.ToString());
        Assert.Equal("0.33", book.Bids[^1].Price.ToString());
        Assert.Equal("0.99", book.Asks[0].Price.ToString());
        Assert.Equal("0.34", book.Asks[^1].Price.ToString());
        Assert.False(book.HasLastTradePrice);
        Assert.Null(book.TickSize);
    }

    [Fact]
    public void Parse_CurrentBookWithTickAndEmptyLastTrade_ReadsBoth()
    {
        var book = ParseSingle<BookEvent>(Fixture.Utf8("""
            {"market":"0xedd6","asset_id":"3605","timestamp":"1775740020016","hash":"6ce350360f6b487abb46766b131d987ea11e4de6","bids":[{"price":"0.01","size":"80.01"}],"asks":[{"price":"0.99","size":"64.54"}],"tick_size":"0.01","event_type":"book","last_trade_price":""}
            """));

        Assert.Equal("0.01", book.TickSize.ToString());
        Assert.True(book.HasLastTradePrice);
        Assert.Null(book.LastTradePrice);
    }
}
