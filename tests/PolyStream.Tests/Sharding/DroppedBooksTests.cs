using PolyStream.Sharding;

namespace PolyStream.Tests.Sharding;

/// <summary>What a shard re-bases after dropping frames: the books they named, or all when it cannot tell.</summary>
public sealed class DroppedBooksTests
{
    [Fact]
    public void TakeInto_FramesNamingBooks_GivesEachNamedBookOnceAndThenStartsAfresh()
    {
        var dropped = new DroppedBooks();
        dropped.Add(PriceChange("1", "2"));
        dropped.Add(PriceChange("2"));

        var first = new List<string>();
        var everyBook = dropped.TakeInto(first);
        var second = new List<string>();
        var everyBookAfter = dropped.TakeInto(second);

        Assert.False(everyBook);
        Assert.Equal(["1", "2"], first.Order(StringComparer.Ordinal));
        Assert.False(everyBookAfter);
        Assert.Empty(second);
    }

    [Theory]
    [InlineData("""{"event_type":"new_market","assets_ids":["1","2"]}""")]
    [InlineData("""not json at all""")]
    [InlineData("""{"event_type":"book","asset_id":null}""")]
    public void TakeInto_AFrameNamingNoBookReadably_ReBasesEveryBookOnce(string frame)
    {
        var dropped = new DroppedBooks();
        dropped.Add(PriceChange("1"));
        dropped.Add(Fixture.Utf8(frame));

        var assets = new List<string>();
        var everyBook = dropped.TakeInto(assets);
        var everyBookAfter = dropped.TakeInto(assets);

        Assert.True(everyBook);
        Assert.Empty(assets);
        Assert.False(everyBookAfter);
    }

    [Fact]
    public void TakeInto_MoreBooksThanItKeeps_ReBasesEveryBook()
    {
        var dropped = new DroppedBooks();
        for (var i = 0; i <= DroppedBooks.MaxBooks; i++)
        {
            dropped.Add(PriceChange(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.True(dropped.TakeInto([]));
    }

    private static byte[] PriceChange(params string[] assets) => Fixture.Utf8(
        $$"""{"event_type":"price_change","market":"m","price_changes":[{{string.Join(',', assets.Select(a => $$"""{"asset_id":"{{a}}","price":"0.4","size":"1","side":"BUY","hash":"00"}"""))}}],"timestamp":"1"}""");
}
