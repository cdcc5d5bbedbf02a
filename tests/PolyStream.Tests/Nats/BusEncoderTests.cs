using System.Text.Json;
using PolyStream.Books;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Tests.Nats;

/// <summary>What the encoder writes beyond the stream JSON.</summary>
public sealed class BusEncoderTests : IAsyncDisposable
{
    private readonly BookEngineHarness _engine = new(null, "A");

    public BusEncoderTests()
    {
        _engine.Venue.WithBook("A");
    }

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)] // the engine hashes each trade's book, and the encoder takes that hash
    [InlineData(false, true)] // told the engine hashes another way (V9), the encoder computes every hash itself
    public async Task ContentHash_IsTheHashOfTheBookAfterEveryEvent_WhetherTheEngineCheckedItOrNot(bool engineHashesCurrentVersion, bool engineHashesTrades)
    {
        await using var engine = new BookEngineHarness(BookEngineOptions.Default with { HashTrades = engineHashesTrades }, "A");
        engine.Venue.WithBook("A");
        var encoder = new BusEncoder("polystream", "node-a-1", engineHashesCurrentVersion ? BookHashVersion.Current : BookHashVersion.V9);
        var events = new List<StreamEvent>();
        events.AddRange(engine.Feed(engine.Venue.BookFrame("A", 1000, withLastTradePrice: true)));
        events.AddRange(engine.Feed(engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")));
        events.AddRange(engine.Feed(engine.Venue.ChangeFrame(1002, "A", Side.Sell, "0.6", "0", badHash: true)));
        engine.Venue.Trade("A", "0.46");
        events.AddRange(engine.Feed(Venue.TradeFrame("A", "0.46", 1003)));

        var books = events.OfType<BookStateEvent>().ToList();
        Assert.Contains(books, e => e is BookDeltaApplied { Hash.Outcome: HashOutcome.Matched });
        Assert.Equal(engineHashesTrades, books.OfType<LastTradeReceived>().Single().Hash.HasValue);
        Assert.All(books, e =>
        {
            Assert.True(encoder.TryWriteEvent(e, out var json, out _));
            using var body = JsonDocument.Parse(json.ToArray());
            Assert.Equal(e.Book.Summary.ComputeHash().ToString(), body.RootElement.GetProperty("content_hash").GetString());
        });
    }

    [Fact]
    public void AMessagesBody_ComesFromThePool_AndIsReusedOnceReleased()
    {
        var encoder = new BusEncoder("polystream", "node-a-1");
        var first = encoder.Message("polystream.batch.0001", "A:1:1", "{\"type\":\"book_delta\"}"u8, 1, []);
        Assert.Equal("""{"v":2,"node":"node-a-1","events":[{"type":"book_delta"}]}""", System.Text.Encoding.UTF8.GetString(first.Payload.Span));

        encoder.Release(first);
        var second = encoder.Message("polystream.batch.0002", "A:1:2", "{}"u8, 1, []);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first.Payload, out var firstBody));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(second.Payload, out var secondBody));
        Assert.Same(firstBody.Array, secondBody.Array);
        Assert.Equal("""{"v":2,"node":"node-a-1","events":[{}]}""", System.Text.Encoding.UTF8.GetString(second.Payload.Span));
    }

    [Fact]
    public void Bodies_MoreInFlightThanTheDefault_AreAllReusedOnceReleased()
    {
        const int InFlight = NatsScaleOutOptions.DefaultMaxInFlight * 4;
        var encoder = new BusEncoder("polystream", "node-a-1", bodiesInFlight: InFlight);
        var first = Enumerable.Range(0, InFlight).Select(i => encoder.Message("polystream.batch.0001", $"A:1:{i}", "{}"u8, 1, [])).ToList();
        var firstBodies = first.Select(Body).ToHashSet(ReferenceEqualityComparer.Instance);
        first.ForEach(encoder.Release);

        var second = Enumerable.Range(0, InFlight).Select(i => encoder.Message("polystream.batch.0001", $"B:1:{i}", "{}"u8, 1, [])).ToList();

        // A pool sized for the default window would have kept some of them (its buckets hold 1,024 bodies each) and allocated the rest anew.
        Assert.All(second, message => Assert.Contains(Body(message), firstBodies));

        static object Body(BusMessage message) =>
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message.Payload, out var body) ? body.Array! : throw new InvalidOperationException("a body not over an array");
    }

    [Fact]
    public void DeltaAndTrade_CarryTheBooksMarketTimestampAndLastTrade()
    {
        var encoder = new BusEncoder("polystream", "node-a-1");
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        var delta = _engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")).OfType<BookDeltaApplied>().Single();
        _engine.Venue.Trade("A", "0.46");
        var trade = _engine.Feed(Venue.TradeFrame("A", "0.46", 1002)).OfType<LastTradeReceived>().Single();

        Assert.True(encoder.TryWriteEvent(delta, out var json, out _));
        using (var body = JsonDocument.Parse(json.ToArray()))
        {
            Assert.Equal(delta.Book.Summary.Market, body.RootElement.GetProperty("market").GetString());
            Assert.Equal(1001, body.RootElement.GetProperty("timestamp").GetInt64());
        }

        Assert.True(encoder.TryWriteEvent(trade, out json, out _));
        using (var body = JsonDocument.Parse(json.ToArray()))
        {
            Assert.Equal("0.460", body.RootElement.GetProperty("last_trade_price").GetString()); // as the venue hashes it
        }
    }

    [Fact]
    public async Task Delta_OnALinkedView_IsWrittenWithoutRebuildingTheBookOrAnIdString()
    {
        const string Asset = "71321045679252212594626385532706912750332728571942532289631379312455583992563"; // the venue's 78 digits
        await using var engine = new BookEngineHarness(null, Asset);
        engine.Venue.WithBook(Asset);
        var encoder = new BusEncoder("polystream", "node-a-1");
        engine.Feed(engine.Venue.BookFrame(Asset, 1000));
        var deltas = engine.Feed(engine.Venue.ChangeFrame(1001, Asset, Side.Buy, "0.46", "30"))
            .Concat(engine.Feed(engine.Venue.ChangeFrame(1002, Asset, Side.Buy, "0.45", "20")))
            .OfType<BookDeltaApplied>().ToList();
        Assert.True(encoder.TryWriteEvent(deltas[0], out _, out _)); // the first pays for the writer and the names

        // The engine's view of a delta links to the view before; reading its levels would replay the links into a
        // new book, over a kilobyte per event. The id as a string would be over 200 bytes. Writing the delta costs
        // nothing once the code has tiered up; before that, the two numbers of its id may be boxed (48 B).
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(encoder.TryWriteEvent(deltas[1], out _, out var id));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 48);
        Assert.Equal($"{Asset}:1:2", System.Text.Encoding.UTF8.GetString(id));
    }

    [Fact]
    public void OneEncoder_WritesEachMessageWhole_ThoughItReusesItsBuffer()
    {
        var encoder = new BusEncoder("polystream", "node-a-1");
        var snapshot = encoder.EncodeVersion1(_engine.Feed(_engine.Venue.BookFrame("A", 1000)).OfType<BookSnapshotApplied>().Single())!;
        var delta = encoder.EncodeVersion1(_engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")).OfType<BookDeltaApplied>().Single())!;

        using var first = JsonDocument.Parse(snapshot.Payload);
        using var second = JsonDocument.Parse(delta.Payload);
        Assert.Equal("book_snapshot", first.RootElement.GetProperty("type").GetString());
        Assert.Equal("book_delta", second.RootElement.GetProperty("type").GetString());
        Assert.True(snapshot.Payload.Length > delta.Payload.Length, "the snapshot's body was not cut short by the delta's");
    }

    public static TheoryData<StreamEvent> HostileIds() =>
    [
        new UserOrderReceived { Id = "0xo", Market = "0xm", AssetId = "1\r\nPUB polystream.book_snapshot.1 2\r\n{}", Type = "UPDATE" },
        new UserOrderReceived { Id = "0xo", Market = "0xm", AssetId = "1 2", Type = "UPDATE" },
        new UserOrderReceived { Id = "0xo\r\nNats-Expected-Stream: X", Market = "0xm", AssetId = "1", Type = "UPDATE" },
        new UserOrderReceived { Id = "0xo", Market = "0xm", AssetId = "1", Type = "UPDATE\n" },
        new UserTradeReceived { Id = "t-1", Market = "0xm", AssetId = ">", Status = "MINED" },
        new UserTradeReceived { Id = "t.1", Market = "0xm", AssetId = "1", Status = "MINED" },
        new UserTradeReceived { Id = "t-1", Market = "0xm", AssetId = "1", Status = "MINED MINED" },
        new MarketCreated { Market = "0xm.*" },
        new MarketResolved { Market = "" },
        new UserOrderReceived { Id = "0xo", Market = "0xm", AssetId = new string('1', 129), Type = "UPDATE" },
    ];

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void Encode_IdUnfitForASubjectKeyOrMessageId_IsRefusedAndCounted(StreamEvent hostile)
    {
        var encoder = new BusEncoder("polystream", "node-a-1");
        var messages = new List<BusMessage>();

        Assert.False(new BusBatcher(encoder, 32).Add(hostile, messages));
        Assert.Null(encoder.EncodeVersion1(hostile));
        Assert.Empty(messages);
        Assert.Equal(2, encoder.Refused);
    }

    [Fact]
    public void Encode_VenueShapedIds_ArePublished()
    {
        var encoder = new BusEncoder("polystream", "node-a-1");
        var batcher = new BusBatcher(encoder, 32);
        var messages = new List<BusMessage>();
        var token = "71321045679252212594626385532706912750332728571942532289631379312455583992563";

        var order = new UserOrderReceived { Id = "0xff35", Market = "0xbd31dc8a20211944f6b70f31557f1001557b59905b7738480ca09bd4532f84af", AssetId = token, Type = "PLACEMENT" };
        Assert.True(batcher.Add(order, messages));
        Assert.True(batcher.Add(new UserTradeReceived { Id = "28c4d2eb-bbea-40e7-a9f0-b2fdb56b2c2e", Market = "0xm", AssetId = token, Status = "MATCHED" }, messages));

        // Named by the venue's keys, alone on their own subject: two nodes relaying one are stored once.
        Assert.Equal([$"polystream.user_order.{token}", $"polystream.user_trade.{token}"], messages.Select(m => m.Subject));
        Assert.Equal(BusNames.VenueEventId(order), messages[0].MessageId);
        Assert.Equal(0, encoder.Refused);
    }
}
