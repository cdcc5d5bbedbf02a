using PolyStream.Events;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Tests.Nats;

public sealed class BusNamesTests
{
    [Fact]
    public void Subject_IsPrefixEventAsset_WithAPlaceholderForNoAsset()
    {
        Assert.Equal("polystream.book_delta.123", BusNames.Subject("polystream", "book_delta", "123"));
        Assert.Equal("polystream.new_market._", BusNames.Subject("polystream", "new_market", null));
    }

    [Fact]
    public void MessageId_OfABookChange_IsAssetEpochSeq_SoAnyPublisherOfThatChangeIsDeduplicated()
    {
        Assert.Equal("123:4:7", MessageId("123", 4, 7, "book_delta", "node-a-1", 0));
        Assert.Equal("123:5:0", MessageId("123", 5, 0, "book_snapshot", "node-b-2", 3));
    }

    [Fact]
    public void MessageId_OfOtherEvents_NamesEventPublisherAndOrdinal_SoTwoAtOnePositionBothSurvive()
    {
        var first = MessageId("123", 4, 7, "last_trade", "node-a-1", 0);
        var second = MessageId("123", 4, 7, "last_trade", "node-a-1", 1);
        var otherNode = MessageId("123", 4, 7, "last_trade", "node-b-2", 0);

        Assert.Equal("123:4:7:last_trade:node-a-1:0", first);
        Assert.Equal(3, new[] { first, second, otherNode }.Distinct().Count());
    }

    [Fact]
    public void VenueEventId_IsMadeOfTheVenuesKeys_SoEveryNodeRelayingTheSameEventIsDeduplicated()
    {
        var order = new UserOrderReceived { Id = "0xo", Market = "0xm", AssetId = "123", Type = "UPDATE", SizeMatched = ExactDecimal.Parse("2.5"), Timestamp = 17, ReceiveTimestamp = 1 };
        StreamEvent[] relayed =
        [
            new MarketCreated { Market = "0xm", ReceiveTimestamp = 1 },
            new MarketResolved { Market = "0xm", ReceiveTimestamp = 1 },
            order,
            new UserTradeReceived { Id = "t-1", Market = "0xm", AssetId = "123", Status = "MINED", Timestamp = 18 },
        ];

        Assert.Equal(
            ["_:new_market:0xm", "_:market_resolved:0xm", "123:user_order:0xo:UPDATE:2.5:17", "123:user_trade:t-1:MINED:18"],
            relayed.Select(BusNames.VenueEventId));
        Assert.Equal(BusNames.VenueEventId(relayed[2]), BusNames.VenueEventId(relayed[2] with { ReceiveTimestamp = 99 })); // another node's copy
        Assert.NotEqual(BusNames.VenueEventId(relayed[2]), BusNames.VenueEventId(order with { SizeMatched = ExactDecimal.Parse("5") }));
        Assert.Null(BusNames.VenueEventId(new Lagged { Count = 1 }));
    }

    [Theory]
    [InlineData(nameof(StreamEventKind.Lagged), false)]
    [InlineData(nameof(StreamEventKind.Disconnected), false)]
    [InlineData(nameof(StreamEventKind.ParseFailure), false)]
    [InlineData(nameof(StreamEventKind.UniverseChanged), false)]
    [InlineData(nameof(StreamEventKind.BookDelta), true)]
    [InlineData(nameof(StreamEventKind.UserTrade), true)]
    public void IsPublished_LeavesOutSubscriberLocalEvents(string kind, bool published) =>
        Assert.Equal(published, BusNames.IsPublished(Enum.Parse<StreamEventKind>(kind)));

    [Fact]
    public void SlotOf_IsStableInRangeAndSpreadsAHundredAssets()
    {
        var assets = Enumerable.Range(0, 100).Select(i => $"{71_321_000_000_000_000L + (i * 7_919L)}").ToList();
        var slots = assets.Select(a => BusNames.SlotOf(a, 32)).ToList();

        Assert.Equal(slots, assets.Select(a => BusNames.SlotOf(a, 32)));
        Assert.All(slots, s => Assert.InRange(s, 0, 31));
        Assert.True(slots.Distinct().Count() >= 24, $"only {slots.Distinct().Count()} of 32 slots used");
    }

    [Theory]
    [InlineData("node-a", true)]
    [InlineData("host_7-1234", true)]
    [InlineData("", false)]
    [InlineData("node.a", false)]
    [InlineData("node a", false)]
    [InlineData("node*", false)]
    public void IsValidNodeId_AllowsOnlyKeyAndSubjectSafeNames(string nodeId, bool valid) =>
        Assert.Equal(valid, BusNames.IsValidNodeId(nodeId));

    private static string MessageId(string? assetId, long epoch, long seq, string eventName, string publisher, long ordinal)
    {
        var id = new byte[BusNames.MaxMessageIdLength];
        return System.Text.Encoding.UTF8.GetString(id, 0, BusNames.WriteMessageId(id, assetId, epoch, seq, eventName, publisher, ordinal));
    }
}
