using System.Collections.Immutable;
using PolyStream.Protocol;

namespace PolyStream.Tests.TestSupport;

/// <summary>Small helpers to write books and changes in tests as the venue would send them.</summary>
internal static class BookBuilder
{
    public static ImmutableArray<PriceLevel> Levels(params (string Price, string Size)[] levels) =>
        [.. levels.Select(l => new PriceLevel(ExactDecimal.Parse(l.Price), ExactDecimal.Parse(l.Size)))];

    public static BookEvent Snapshot(string assetId, ImmutableArray<PriceLevel> bids, ImmutableArray<PriceLevel> asks, long timestamp = 1) => new()
    {
        Market = "0xmarket",
        AssetId = assetId,
        Timestamp = timestamp,
        Bids = bids,
        Asks = asks,
    };

    public static PriceChangeEvent Change(long timestamp, params (string AssetId, Side Side, string Price, string Size)[] changes) => new()
    {
        Market = "0xmarket",
        Timestamp = timestamp,
        Changes = [.. changes.Select(c => new PriceChange(c.AssetId, ExactDecimal.Parse(c.Price), ExactDecimal.Parse(c.Size), c.Side, default, null, null))],
    };
}
