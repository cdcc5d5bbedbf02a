using System.Text;
using PolyStream.Protocol;

namespace PolyStream.Tests.Protocol;

/// <summary>Frame-level behaviour: arrays, control text, unknown events, and bad input that must fail cleanly.</summary>
public sealed class FrameParserFrameTests
{
    private const string ValidChange =
        """{"market":"0x1","price_changes":[{"asset_id":"1","price":"0.5","size":"10","side":"BUY","hash":"52a1ab0b83926e8d34a1018feea85a50af0cea81","best_bid":"0.5","best_ask":"0.6"}],"timestamp":"1","event_type":"price_change"}""";

    private readonly FrameParser _parser = new();

    [Fact]
    public void Parse_ArrayOfBooks_ReturnsEachInOrder()
    {
        var frame = """[{"event_type":"book","asset_id":"1","market":"0x1","bids":[],"asks":[]},{"event_type":"book","asset_id":"2","market":"0x1","bids":[],"asks":[]}]""";

        var result = _parser.Parse(Fixture.Utf8(frame));

        Assert.True(result.IsSuccess);
        Assert.Equal(["1", "2"], result.Events.Cast<BookEvent>().Select(b => b.AssetId));
    }

    [Fact]
    public void Parse_EmptyArray_SucceedsWithNoEvents()
    {
        var result = _parser.Parse("[]"u8);

        Assert.True(result.IsSuccess);
        Assert.Empty(result.Events);
    }

    [Theory]
    [InlineData("PONG", nameof(ControlReply.Pong))]
    [InlineData("INVALID OPERATION", nameof(ControlReply.InvalidOperation))]
    [InlineData("NO NEW ASSETS", nameof(ControlReply.NoNewAssets))]
    [InlineData("  PONG\n", nameof(ControlReply.Pong))]
    [InlineData("something else", nameof(ControlReply.Other))]
    public void Parse_BareText_IsAControlReply(string text, string expected)
    {
        var result = _parser.Parse(Fixture.Utf8(text));

        var reply = Assert.IsType<ControlReplyEvent>(Assert.Single(result.Events));
        Assert.Equal(Enum.Parse<ControlReply>(expected), reply.Reply);
        Assert.Equal(text.Trim(), reply.Text);
    }

    [Fact]
    public void Parse_UnknownEventType_KeepsRawJson()
    {
        const string Raw = """{"event_type":"brand_new","x":[1,{"y":2}],"market":{"nested":true}}""";

        var unknown = Assert.IsType<UnknownEvent>(Assert.Single(_parser.Parse(Fixture.Utf8($"[{Raw}]")).Events));

        Assert.Equal("brand_new", unknown.EventType);
        Assert.Equal(Raw, unknown.RawJson);
    }

    [Fact]
    public void Parse_ObjectWithoutEventType_IsUnknownWithEmptyType()
    {
        var unknown = Assert.IsType<UnknownEvent>(Assert.Single(_parser.Parse("""{"error":"bad subscription"}"""u8).Events));

        Assert.Equal(string.Empty, unknown.EventType);
        Assert.Contains("bad subscription", unknown.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NumericTimestampsFromRecorders_AreAccepted()
    {
        var change = Assert.IsType<PriceChangeEvent>(Assert.Single(_parser.Parse(Fixture.Utf8(ValidChange.Replace("\"timestamp\":\"1\"", "\"timestamp\":1761179949036", StringComparison.Ordinal))).Events));

        Assert.Equal(1761179949036, change.Timestamp);
    }

    [Fact]
    public void Parse_IdsRepeatAcrossFrames_AreInternedToOneString()
    {
        var first = (PriceChangeEvent)_parser.Parse(Fixture.Utf8(ValidChange)).Events[0];
        var second = (PriceChangeEvent)_parser.Parse(Fixture.Utf8(ValidChange)).Events[0];

        Assert.Same(first.Changes[0].AssetId, second.Changes[0].AssetId);
        Assert.Same(first.Market, second.Market);
    }

    [Theory]
    [InlineData("{\"event_type\":\"price_change\",\"market\":\"0x1\",\"price_changes\":[{\"asset_id\":\"1\",\"pri", nameof(FrameErrorKind.MalformedJson))]
    [InlineData("[{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":[],\"asks\":[]}", nameof(FrameErrorKind.MalformedJson))]
    [InlineData("{\"a\":1} {\"b\":2}", nameof(FrameErrorKind.MalformedJson))]
    [InlineData("{\"a\":1}}", nameof(FrameErrorKind.MalformedJson))]
    [InlineData("{'event_type':'book'}", nameof(FrameErrorKind.MalformedJson))]
    [InlineData("", nameof(FrameErrorKind.Empty))]
    [InlineData("   ", nameof(FrameErrorKind.Empty))]
    [InlineData("[1,2]", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":5,\"bids\":[],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":{},\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":[{\"price\":\"0.5\"}],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":[{\"price\":\"0.5\",\"size\":\"-3\"}],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":[{\"price\":\"1.5\",\"size\":\"3\"}],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":[{\"price\":\"0.5\",\"size\":\"12345678901234567890123456789012345678901234567890123456789012345678901234567890\"}],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":\"1\",\"bids\":[{\"price\":0.5e1,\"size\":\"3\"}],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"asset_id\":\"1\",\"hash\":\"0xabc\",\"bids\":[],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"book\",\"bids\":[],\"asks\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"price_change\",\"market\":\"0x1\",\"price_changes\":[{\"asset_id\":\"1\",\"price\":\"0.5\",\"size\":\"1\",\"side\":\"HOLD\"}]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"price_change\",\"market\":\"0x1\",\"timestamp\":\"-5\",\"price_changes\":[]}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"price_change\",\"market\":\"0x1\"}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"tick_size_change\",\"asset_id\":\"1\",\"new_tick_size\":\"0.001\"}", nameof(FrameErrorKind.InvalidEvent))]
    [InlineData("{\"event_type\":\"order\",\"id\":\"1\",\"price\":\"abc\",\"side\":\"BUY\",\"original_size\":\"1\"}", nameof(FrameErrorKind.InvalidEvent))]
    public void Parse_BadInput_FailsWithAReasonAndNoEvents(string frame, string kind)
    {
        var result = _parser.Parse(Fixture.Utf8(frame));

        Assert.False(result.IsSuccess);
        Assert.Equal(Enum.Parse<FrameErrorKind>(kind), result.Error!.Kind);
        Assert.Empty(result.Events);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    [Fact]
    public void TryParse_ArrayWithOneBadEvent_LeavesTheCallersListUntouched()
    {
        var events = new List<WireEvent> { ControlReplyEvent.Pong };
        var frame = Fixture.Utf8($$"""[{{ValidChange}},{{ValidChange}},{"event_type":"book","asset_id":"1","bids":[{"price":"2","size":"1"}],"asks":[]}]""");

        var parsed = _parser.TryParse(frame, events, out var error);

        Assert.False(parsed);
        Assert.NotNull(error);
        Assert.Equal([ControlReplyEvent.Pong], events);
    }

    [Fact]
    public void Parse_UnknownEventWithFieldsOfOtherTypes_StillSucceeds()
    {
        // "price" is an object here: fine for an event the parser does not read field by field.
        var unknown = Assert.IsType<UnknownEvent>(Assert.Single(_parser.Parse("""{"price":{"a":1},"side":7,"event_type":"future_thing"}"""u8).Events));

        Assert.Equal("future_thing", unknown.EventType);
    }

    [Fact]
    public void Parse_TenMegabyteValidFrame_ParsesUnderTheDefaultLimit()
    {
        var builder = new StringBuilder("[");
        var books = 0;
        while (builder.Length < 10 * 1024 * 1024)
        {
            builder.Append(books++ == 0 ? "" : ",");
            builder.Append($$"""{"event_type":"book","market":"0x1","asset_id":"{{books}}","timestamp":"1","hash":"","bids":[""");
            for (var level = 1; level < 99; level++)
            {
                builder.Append(level == 1 ? "" : ",").Append($$"""{"price":"0.{{level:D2}}","size":"{{level}}.5"}""");
            }

            builder.Append("],\"asks\":[]}");
        }

        builder.Append(']');

        var result = _parser.Parse(Fixture.Utf8(builder.ToString()));

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(books, result.Events.Count);
    }

    [Fact]
    public void Parse_TenMegabyteGarbageFrame_FailsCleanly()
    {
        var garbage = new byte[10 * 1024 * 1024];
        new Random(7).NextBytes(garbage);
        garbage[0] = (byte)'{';

        var result = _parser.Parse(garbage);

        Assert.False(result.IsSuccess);
        Assert.Equal(FrameErrorKind.MalformedJson, result.Error!.Kind);
    }

    [Fact]
    public void Parse_FrameOverTheConfiguredSize_IsALimitError()
    {
        var parser = new FrameParser(new FrameParserOptions { MaxFrameBytes = 64 });

        var result = parser.Parse(Fixture.Utf8(ValidChange));

        Assert.Equal(FrameErrorKind.LimitExceeded, result.Error!.Kind);
    }

    [Fact]
    public void Parse_MoreLevelsThanTheLimit_IsALimitError()
    {
        var parser = new FrameParser(new FrameParserOptions { MaxLevelsPerSide = 2 });
        var frame = """{"event_type":"book","asset_id":"1","bids":[{"price":"0.1","size":"1"},{"price":"0.2","size":"1"},{"price":"0.3","size":"1"}],"asks":[]}""";

        Assert.Equal(FrameErrorKind.LimitExceeded, parser.Parse(Fixture.Utf8(frame)).Error!.Kind);
    }

    [Fact]
    public void Parse_NestingDeeperThanTheLimit_IsMalformed()
    {
        var frame = "{\"event_type\":\"x\",\"a\":" + new string('[', 40) + new string(']', 40) + "}";

        Assert.Equal(FrameErrorKind.MalformedJson, _parser.Parse(Fixture.Utf8(frame)).Error!.Kind);
    }

    [Fact]
    public void Parse_MoreEventsThanTheLimit_IsALimitError()
    {
        var parser = new FrameParser(new FrameParserOptions { MaxEventsPerFrame = 2 });

        Assert.Equal(FrameErrorKind.LimitExceeded, parser.Parse("""[{"event_type":"x"},{"event_type":"x"},{"event_type":"x"}]"""u8).Error!.Kind);
    }

    [Fact]
    public void Parse_AfterAFailure_TheParserStillWorks()
    {
        Assert.False(_parser.Parse("{\"event_type\":\"book\",\"bids\":[{"u8).IsSuccess);

        Assert.True(_parser.Parse(Fixture.Utf8(ValidChange)).IsSuccess);
    }
}
