using System.Globalization;
using System.Text;
using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Benchmarks;

/// <summary>Deterministic, realistic market-channel frames: two 78-digit tokens mirroring each other, tick 0.01.</summary>
internal static class MarketFrames
{
    public const string Market = "0x1587ee233e3c926209cc5c4f888f34c96c9c7f7c1448d17989d3b7a79c1cdf32";
    public const string Yes = "99462914632141937595531009504605881366011777350891552031161949202493530543388";
    public const string No = "99267005274969015530704549459879765455779440435684795967857484533170446088617";

    /// <summary>A two-entry current-shape price_change: YES bid at <paramref name="cents"/>, NO ask at the mirror price.</summary>
    public static byte[] PriceChange(int cents, string size, long timestamp) =>
        Encoding.UTF8.GetBytes(
            $$"""{"market":"{{Market}}","price_changes":[{"asset_id":"{{Yes}}","price":"{{Price(cents)}}","size":"{{size}}","side":"BUY","hash":"52a1ab0b83926e8d34a1018feea85a50af0cea81","best_bid":"0.47","best_ask":"0.5"},{"asset_id":"{{No}}","price":"{{Price(100 - cents)}}","size":"{{size}}","side":"SELL","hash":"4e761e84f74fbbd20f0787409962cfa66221ddc4","best_bid":"0.5","best_ask":"0.53"}],"timestamp":"{{timestamp}}","event_type":"price_change"}""");

    /// <summary>Distinct frames around the top of book, as a busy market produces them.</summary>
    public static byte[][] Stream(int count, int seed)
    {
        var random = new Random(seed);
        var frames = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var cents = random.Next(30, 48);
            var size = random.Next(0, 5) == 0 ? "0" : (random.Next(1, 500_000) / 100m).ToString(CultureInfo.InvariantCulture);
            frames[i] = PriceChange(cents, size, 1_778_204_225_252 + i);
        }

        return frames;
    }

    /// <summary>A YES book with <paramref name="levels"/> levels a side: bids up to 0.47, asks from 0.5, and its NO mirror.</summary>
    public static (OrderBook Yes, OrderBook No) Books(int levels)
    {
        var bids = new PriceLevel[levels];
        var asks = new PriceLevel[levels];
        for (var i = 0; i < levels; i++)
        {
            // Wire order: bids ascending, asks descending; at 2x50 the prices step by 0.001 around the touch.
            var bidThousandths = 470 - ((levels - 1 - i) * (levels > 40 ? 4 : 10));
            var askThousandths = 500 + ((levels - 1 - i) * (levels > 40 ? 4 : 10));
            bids[i] = new PriceLevel(ExactDecimal.FromDecimal(bidThousandths / 1000m).Normalize(), ExactDecimal.FromDecimal((100 + (i * 37)) / 10m));
            asks[i] = new PriceLevel(ExactDecimal.FromDecimal(askThousandths / 1000m).Normalize(), ExactDecimal.FromDecimal((90 + (i * 41)) / 10m));
        }

        var yes = new OrderBook(Yes, Market);
        yes.ReplaceWithSnapshotNoHash(new BookEvent
        {
            Market = Market,
            AssetId = Yes,
            Timestamp = 1_778_204_225_000,
            Bids = [.. bids],
            Asks = [.. asks],
            TickSize = ExactDecimal.FromParts(1, 3),
            HasLastTradePrice = true,
            LastTradePrice = ExactDecimal.FromParts(480, 3),
        });
        return (yes, yes.ProjectComplement(No));
    }

    private static string Price(int cents) =>
        (cents / 100m).ToString("0.##", CultureInfo.InvariantCulture);
}
