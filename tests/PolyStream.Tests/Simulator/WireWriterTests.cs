using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Simulator.Wire;

namespace PolyStream.Tests.Simulator;

public sealed class WireWriterTests
{
    private static BookSummary VectorA1() => new()
    {
        Market = "0xaabbcc",
        AssetId = "100",
        Timestamp = 123456789,
        Bids = [new PriceLevel(ExactDecimal.Parse("0.3"), ExactDecimal.Parse("100")), new PriceLevel(ExactDecimal.Parse("0.4"), ExactDecimal.Parse("100"))],
        Asks = [new PriceLevel(ExactDecimal.Parse("0.6"), ExactDecimal.Parse("100")), new PriceLevel(ExactDecimal.Parse("0.7"), ExactDecimal.Parse("100"))],
        MinOrderSize = ExactDecimal.Parse("100"),
        TickSize = ExactDecimal.Parse("0.01"),
        NegRisk = false,
        LastTradePrice = ExactDecimal.Parse("0.5"),
    };

    [Fact]
    public void RestBook_OfficialVectorA1_ByteForByteWithVenueHash()
    {
        var summary = VectorA1();
        summary = summary with { Hash = summary.ComputeHash() };

        var text = System.Text.Encoding.UTF8.GetString(WireWriter.Write(w => WireWriter.RestBook(w, summary)));

        Assert.Equal(
            "{\"market\":\"0xaabbcc\",\"asset_id\":\"100\",\"timestamp\":\"123456789\",\"hash\":\"0458ea5755c9f73d64a14636fa5c36ed460ec394\","
            + "\"bids\":[{\"price\":\"0.3\",\"size\":\"100\"},{\"price\":\"0.4\",\"size\":\"100\"}],"
            + "\"asks\":[{\"price\":\"0.6\",\"size\":\"100\"},{\"price\":\"0.7\",\"size\":\"100\"}],"
            + "\"min_order_size\":\"100\",\"tick_size\":\"0.01\",\"neg_risk\":false,\"last_trade_price\":\"0.5\"}",
            text);
    }

    [Fact]
    public void WsBook_NoTrade_WireKeyOrderAndEmptyLastTradePrice()
    {
        var summary = VectorA1() with { LastTradePrice = null, Hash = BookHash.Parse("6ce350360f6b487abb46766b131d987ea11e4de6") };

        var text = System.Text.Encoding.UTF8.GetString(WireWriter.Write(w => WireWriter.WsBook(w, summary)));

        Assert.Equal(
            "{\"market\":\"0xaabbcc\",\"asset_id\":\"100\",\"timestamp\":\"123456789\",\"hash\":\"6ce350360f6b487abb46766b131d987ea11e4de6\","
            + "\"bids\":[{\"price\":\"0.3\",\"size\":\"100\"},{\"price\":\"0.4\",\"size\":\"100\"}],"
            + "\"asks\":[{\"price\":\"0.6\",\"size\":\"100\"},{\"price\":\"0.7\",\"size\":\"100\"}],"
            + "\"tick_size\":\"0.01\",\"event_type\":\"book\",\"last_trade_price\":\"\"}",
            text);
    }

    [Fact]
    public void PriceChange_TwoEntries_ExactDocumentedShape()
    {
        var hashA = BookHash.Parse("52a1ab0b83926e8d34a1018feea85a50af0cea81");
        var hashB = BookHash.Parse("4e761e84f74fbbd20f0787409962cfa66221ddc4");
        var changes = new List<PriceChange>
        {
            new("994", ExactDecimal.Parse("0.85"), ExactDecimal.Parse("503.32"), Side.Buy, hashA, ExactDecimal.Parse("0.85"), ExactDecimal.Parse("0.86")),
            new("992", ExactDecimal.Parse("0.15"), ExactDecimal.Parse("503.32"), Side.Sell, hashB, ExactDecimal.Parse("0.14"), ExactDecimal.Parse("0.15")),
        };

        var text = System.Text.Encoding.UTF8.GetString(WireWriter.PriceChange("0x1587", 1778204225252, changes));

        Assert.Equal(
            "{\"market\":\"0x1587\",\"price_changes\":["
            + "{\"asset_id\":\"994\",\"price\":\"0.85\",\"size\":\"503.32\",\"side\":\"BUY\",\"hash\":\"52a1ab0b83926e8d34a1018feea85a50af0cea81\",\"best_bid\":\"0.85\",\"best_ask\":\"0.86\"},"
            + "{\"asset_id\":\"992\",\"price\":\"0.15\",\"size\":\"503.32\",\"side\":\"SELL\",\"hash\":\"4e761e84f74fbbd20f0787409962cfa66221ddc4\",\"best_bid\":\"0.14\",\"best_ask\":\"0.15\"}],"
            + "\"timestamp\":\"1778204225252\",\"event_type\":\"price_change\"}",
            text);
    }

    [Fact]
    public void BestBidAsk_EmptyAsk_EmptyStrings()
    {
        var text = System.Text.Encoding.UTF8.GetString(WireWriter.BestBidAsk("0x05", "85", ExactDecimal.Parse("0.73"), null, 1766789469958));

        Assert.Equal("{\"event_type\":\"best_bid_ask\",\"market\":\"0x05\",\"asset_id\":\"85\",\"best_bid\":\"0.73\",\"best_ask\":\"\",\"spread\":\"\",\"timestamp\":\"1766789469958\"}", text);
    }
}
