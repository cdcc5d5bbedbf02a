using PolyStream.Protocol;

namespace PolyStream.Tests.Protocol;

/// <summary>A scan names every book the parser would change from a frame, or says it cannot tell.</summary>
public sealed class FrameAssetIdsTests
{
    [Theory]
    [InlineData("nautilus_ws_price_change.json")]
    [InlineData("nautilus_ws_price_change_v2.json")]
    [InlineData("nautilus_ws_last_trade_price.json")]
    [InlineData("nautilus_ws_market_best_bid_ask_msg.json")]
    [InlineData("nautilus_ws_tick_size_change.json")]
    public void Scan_AVenueSample_NamesEveryAssetTheParserReads(string sample)
    {
        var frame = Fixture.Sample(sample);
        var parsed = new FrameParser().Parse(frame);
        Assert.True(parsed.IsSuccess, parsed.Error?.ToString());

        var (ids, unreadable) = Scan(frame);

        Assert.False(unreadable);
        Assert.NotEmpty(ids);
        Assert.Subset(ids.ToHashSet(), parsed.Events.SelectMany(AssetsOf).ToHashSet());
    }

    [Fact]
    public void Scan_WhitespaceAroundTheColon_NamesTheAsset()
    {
        var (ids, unreadable) = Scan("""{"event_type": "book", "asset_id" :	"123", "bids": []}""");

        Assert.Equal(["123"], ids);
        Assert.False(unreadable);
    }

    [Fact]
    public void Scan_ThePhraseInsideAStringOrAsAValue_IsNoKey()
    {
        var (ids, unreadable) = Scan("""{"note":"say \"asset_id\": \"9\"","names":["asset_id","8"],"asset_id":"1"}""");

        Assert.Equal(["1"], ids);
        Assert.False(unreadable);
    }

    [Fact]
    public void Scan_AnEscapedKey_IsNotAnAsset()
    {
        // The parser does not take an escaped key either, so this frame changes no book by it.
        var (ids, unreadable) = Scan("""{"event_type":"book","asset\u005fid":"1"}""");

        Assert.Empty(ids);
        Assert.False(unreadable);
    }

    [Theory]
    [InlineData("""{"asset_id":"1","price_changes":[{"asset_id":"2\u0033"}]}""")]
    [InlineData("""{"asset_id":"1","price_changes":[{"asset_id":3}]}""")]
    [InlineData("""{"asset_id":"1","price_changes":[{"asset_id":""}]}""")]
    [InlineData("""{"asset_id":"1","price_changes":[{"asset_id":"23""")]
    [InlineData("""{"asset_id":"1","price_changes":[{"asset_id":""")]
    public void Scan_AnIdThatIsNotAPlainString_StopsUnreadableAfterTheIdsBeforeIt(string frame)
    {
        var (ids, unreadable) = Scan(frame);

        Assert.Equal(["1"], ids);
        Assert.True(unreadable);
    }

    [Fact]
    public void Scan_AnIdLongerThanAnyVenueId_IsUnreadable()
    {
        var (ids, unreadable) = Scan($$"""{"asset_id":"{{new string('7', FrameAssetIds.MaxIdBytes + 1)}}"}""");

        Assert.Empty(ids);
        Assert.True(unreadable);
    }

    private static (List<string> Ids, bool Unreadable) Scan(string frame) => Scan(Fixture.Utf8(frame));

    private static (List<string> Ids, bool Unreadable) Scan(byte[] frame)
    {
        var ids = new List<string>();
        var scan = new FrameAssetIds(frame);
        while (scan.MoveNext())
        {
            ids.Add(System.Text.Encoding.UTF8.GetString(scan.Current));
        }

        return (ids, scan.Unreadable);
    }

    private static IEnumerable<string> AssetsOf(WireEvent parsed) => parsed switch
    {
        BookEvent book => [book.AssetId],
        PriceChangeEvent change => change.Changes.Select(c => c.AssetId),
        LastTradePriceEvent trade => [trade.AssetId],
        BestBidAskEvent best => [best.AssetId],
        TickSizeChangeEvent tick => [tick.AssetId],
        _ => throw new InvalidOperationException($"no asset for {parsed.Kind}"),
    };
}
