using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Books;
using PolyStream.Events;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Tests.Nats;

/// <summary>Books rebuilt from bus messages that a real engine's events were encoded into.</summary>
public sealed class ReplicaStateTests : IAsyncDisposable
{
    private const string Publisher = "node-a-000001";
    private readonly BookEngineHarness _engine = new(null, "A");
    private readonly BusEncoder _encoder = new("polystream", Publisher);
    private readonly BusBatcher _batcher;
    private readonly FakeTimeProvider _time = new();
    private readonly NatsScaleOutOptions _options = new() { NodeId = "replica", LeasePeriod = TimeSpan.FromSeconds(10) };
    private readonly ReplicaState _replica;

    public ReplicaStateTests()
    {
        _replica = new ReplicaState(_options, null, _time, NullLogger.Instance);
        _batcher = new BusBatcher(_encoder, _options.Slots);
        Lease(Publisher);
        _engine.Venue.WithBook("A");
    }

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    private void Lease(string publisher) =>
        _replica.LeaseChanged(BusNames.SlotKey(BusNames.SlotOf("A", _options.Slots)), Encoding.UTF8.GetBytes($$"""{"node":"n","publisher":"{{publisher}}"}"""));

    /// <summary>Feeds frames to the engine and returns their events as version 2 messages, batched as one publish round.</summary>
    private List<BusMessage> Publish(params byte[][] frames) => Batch(_batcher, frames.SelectMany(_engine.Feed));

    /// <summary>Feeds a frame to the engine and returns its events as version 1 messages, one each.</summary>
    private List<BusMessage> PublishVersion1(byte[] frame) => [.. _engine.Feed(frame).Select(_encoder.EncodeVersion1).OfType<BusMessage>()];

    private static List<BusMessage> Batch(BusBatcher batcher, IEnumerable<StreamEvent> events)
    {
        var messages = new List<BusMessage>();
        foreach (var e in events)
        {
            batcher.Add(e, messages);
        }

        batcher.Flush(messages);
        return messages;
    }

    private void Deliver(IEnumerable<BusMessage> messages)
    {
        foreach (var message in messages)
        {
            _replica.Apply(message.Subject, message.Payload.Span, 1);
        }
    }

    private void AssertEqualsEngine()
    {
        var replica = _replica.Get("A")!;
        var engine = _engine.View("A");
        Assert.True(replica.Summary.HasSameContent(engine.Summary), "replica book differs from the engine's");
        Assert.Equal((engine.Epoch, engine.Seq, BookTrustState.Synced, HashOutcome.Matched), (replica.Epoch, replica.Seq, replica.State, replica.LastHashOutcome));
    }

    [Theory]
    [InlineData(1)] // the layout replicas still read for a release
    [InlineData(2)]
    public void SnapshotDeltasTradeAndTickSize_RebuildTheEnginesBookExactly(int version)
    {
        Func<byte[], List<BusMessage>> publish = version == 1 ? PublishVersion1 : frame => Publish(frame);
        Deliver(publish(_engine.Venue.BookFrame("A", 1000, withLastTradePrice: true)));
        Deliver(publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")));
        _engine.Venue.Trade("A", "0.46");
        Deliver(publish(Venue.TradeFrame("A", "0.46", 1002)));
        Deliver(publish(_engine.Venue.ChangeFrame(1003, "A", Side.Sell, "0.6", "0")));
        Deliver(publish(_engine.Venue.TickSizeFrame("A", "0.01", "0.001", 1004)));
        Assert.Equal(BookTrustState.Unsynced, _replica.Get("A")!.State);
        Deliver(publish(_engine.Venue.BookFrame("A", 1005)));
        Deliver(publish(_engine.Venue.ChangeFrame(1006, "A", Side.Sell, "0.553", "12")));

        AssertEqualsEngine();
        Assert.Equal(new NatsReplicaCounts(_replica.Counts.Messages, 0, 0, 0, 1), _replica.Counts);
    }

    [Fact]
    public void ADuplicatedDelta_IsSkipped()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        var delta = Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"));

        Deliver(delta);
        Deliver(delta);

        AssertEqualsEngine();
        Assert.Equal(0, _replica.Counts.Gaps);
    }

    [Fact]
    public void AMissingDelta_LeavesTheBookSuspect_UntilARebaseMakesItExactAgain()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")); // lost on the way
        Deliver(Publish(_engine.Venue.ChangeFrame(1002, "A", Side.Buy, "0.47", "5")));

        Assert.Equal(BookTrustState.Suspect, _replica.Get("A")!.State);
        Assert.Equal(1, _replica.Counts.Gaps);
        Deliver(Publish(_engine.Venue.ChangeFrame(1003, "A", Side.Buy, "0.48", "5")));
        Assert.Equal(BookTrustState.Suspect, _replica.Get("A")!.State);

        Deliver([_encoder.EncodeRebase(_engine.View("A"))]);

        AssertEqualsEngine();
    }

    [Fact]
    public void ADeltaThatDoesNotProduceThePublishersBook_IsCaughtByTheContentHash()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        var delta = Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")).Single(m => m.Payload.Span.IndexOf("book_delta"u8) >= 0);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(delta.Payload.Span).Replace("\"30\"", "\"31\"", StringComparison.Ordinal));

        _replica.Apply(delta.Subject, tampered, 2);

        Assert.Equal((BookTrustState.Suspect, HashOutcome.Mismatched), (_replica.Get("A")!.State, _replica.Get("A")!.LastHashOutcome));
        Assert.Equal(1, _replica.Counts.Divergences);
    }

    [Fact]
    public void ManyDeltasInOneBatch_AreEachApplied_AndTheBookEqualsTheEngines()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        var frames = Enumerable.Range(0, 40).Select(i => _engine.Venue.ChangeFrame(1001 + i, "A", i % 2 == 0 ? Side.Buy : Side.Sell, i % 2 == 0 ? "0.4" : "0.6", (10 + i).ToString(CultureInfo.InvariantCulture))).ToArray();

        var messages = Publish(frames);

        Assert.Single(messages);
        Deliver(messages);
        AssertEqualsEngine();
        Assert.Equal(0, _replica.Counts.Gaps + _replica.Counts.Divergences + _replica.Counts.Unreadable);
    }

    [Fact]
    public void VersionOneAndVersionTwoMessages_FollowOnFromEachOther()
    {
        Deliver(PublishVersion1(_engine.Venue.BookFrame("A", 1000)));
        Deliver(Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"), _engine.Venue.ChangeFrame(1002, "A", Side.Buy, "0.47", "5")));
        Deliver(PublishVersion1(_engine.Venue.ChangeFrame(1003, "A", Side.Sell, "0.6", "0")));

        AssertEqualsEngine();
        Assert.Equal(0, _replica.Counts.Gaps + _replica.Counts.Divergences);
    }

    [Fact]
    public void ABatchWhoseSecondDeltaWasTamperedWith_ReportsOneDivergence_AtTheEndOfTheBatch()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        var batch = Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"), _engine.Venue.ChangeFrame(1002, "A", Side.Buy, "0.47", "5")).Single();
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(batch.Payload.Span).Replace("\"size\":\"5\"", "\"size\":\"6\"", StringComparison.Ordinal));
        var logs = new ListLogger();
        var replica = new ReplicaState(_options, null, _time, logs);
        replica.Load("A", BookSnapshotRecord.Of(_replica.Get("A")!, 1, Publisher));

        replica.Apply(batch.Subject, tampered, 2);

        Assert.Equal((1L, 0L), (replica.Counts.Divergences, replica.Counts.Gaps));
        Assert.Equal([7031], logs.Entries.Select(e => e.Id));
        Assert.Equal((_engine.View("A").Seq, BookTrustState.Suspect, HashOutcome.Mismatched), (replica.Get("A")!.Seq, replica.Get("A")!.State, replica.Get("A")!.LastHashOutcome));
    }

    [Fact]
    public void ABatchWithOneUnreadableEvent_IsRefusedWhole()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        var before = _replica.Get("A")!;
        var batch = Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"), _engine.Venue.ChangeFrame(1002, "A", Side.Buy, "0.47", "5")).Single();
        var broken = Encoding.UTF8.GetString(batch.Payload.Span).Replace("\"size\":\"5\"", "\"size\":\"five\"", StringComparison.Ordinal);

        _replica.Apply(batch.Subject, Encoding.UTF8.GetBytes(broken), 2);
        _replica.Apply(batch.Subject, """{"v":2,"node":"n","events":[]}"""u8, 3);
        _replica.Apply(batch.Subject, """{"v":2,"events":[{"v":1,"type":"book_state_changed","asset_id":"A","epoch":1,"seq":0,"from":"Synced","to":"Suspect","reason":"X"}]}"""u8, 4);
        _replica.Apply(batch.Subject, """{"v":2,"node":"n","events":[{"v":1,"type":"book_state_changed","asset_id":"A","epoch":1,"seq":0,"from":"Synced","to":"Suspect","reason":"X"},7]}"""u8, 5);

        Assert.Equal(4, _replica.Counts.Unreadable);
        var after = _replica.Get("A")!;
        Assert.True(after.Summary.HasSameContent(before.Summary));
        Assert.Equal((before.Epoch, before.Seq, before.State), (after.Epoch, after.Seq, after.State));
    }

    [Fact]
    public void UnreadableOrNewerMessages_ChangeNothing()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        var before = _replica.Get("A")!;

        _replica.Apply("polystream.book_delta.A", "{not json"u8, 2);
        _replica.Apply("polystream.book_delta.A", """{"v":1,"type":"book_delta","asset_id":"A"}"""u8, 3);
        _replica.Apply("polystream.book_delta.A", """{"v":99,"type":"book_delta","asset_id":"A","epoch":9,"seq":9}"""u8, 4);
        // Found by the bus-message fuzz target: a level that is not a pair threw IndexOutOfRangeException out of the replica.
        _replica.Apply("polystream.book_snapshot.A", """{"v":1,"type":"book_snapshot","asset_id":"A","epoch":5,"seq":0,"state":"Synced","node":"n","book":{"asset_id":"A","market":"m","epoch":5,"seq":0,"timestamp":"1","hash":"","min_order_size":"5","tick_size":"0.01","neg_risk":false,"last_trade_price":"","bids":[["0.4","100"],[]],"asks":[]}}"""u8, 5);
        _replica.Apply("polystream.book_snapshot.A", """{"v":1,"type":"book_snapshot","asset_id":"A","epoch":5,"seq":0,"state":"Synced","node":"n","book":{"asset_id":"A","market":"m","epoch":5,"seq":0,"timestamp":null,"hash":"","min_order_size":"5","tick_size":"0.01","neg_risk":false,"last_trade_price":"","bids":[],"asks":[]}}"""u8, 6);

        Assert.Equal(4, _replica.Counts.Unreadable);
        var after = _replica.Get("A")!;
        Assert.True(after.Summary.HasSameContent(before.Summary));
        Assert.Equal((before.Epoch, before.Seq, before.State), (after.Epoch, after.Seq, after.State));
    }

    [Fact]
    public void ABookWhosePublisherLostItsLease_IsStale_UntilTheNewOwnersSnapshot()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        Assert.Equal(BookTrustState.Synced, _replica.Get("A")!.State);

        Lease("node-b-000002");
        Assert.Equal(BookTrustState.Stale, _replica.Get("A")!.State);

        var newOwner = new BusBatcher(new BusEncoder("polystream", "node-b-000002"), _options.Slots);
        Deliver(Batch(newOwner, _engine.Feed(_engine.Venue.BookFrame("A", 2000))));

        Assert.Equal(BookTrustState.Synced, _replica.Get("A")!.State);
    }

    [Fact]
    public void UnderUniverseModeLeases_ABookIsLiveWhileItsPublisherHoldsTheSlotOfItsMarket_NotOfItsAsset()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));
        var marketSlot = BusNames.SlotKey(BusNames.SlotOf(_replica.Get("A")!.Summary.Market, _options.Slots));
        var assetSlot = BusNames.SlotKey(BusNames.SlotOf("A", _options.Slots));
        Assert.NotEqual(marketSlot, assetSlot); // else this test could not tell them apart
        static byte[] ByMarket(string publisher) => Encoding.UTF8.GetBytes($$"""{"node":"n","publisher":"{{publisher}}","by":"market"}""");

        _replica.LeaseChanged(assetSlot, null);
        _replica.LeaseChanged(marketSlot, ByMarket(Publisher));
        Assert.Equal(BookTrustState.Synced, _replica.Get("A")!.State);

        _replica.LeaseChanged(assetSlot, ByMarket(Publisher));
        _replica.LeaseChanged(marketSlot, ByMarket("node-b-000002"));
        Assert.Equal(BookTrustState.Stale, _replica.Get("A")!.State);
    }

    [Fact]
    public void ABookWhoseLeaseWentUnrenewedOrWasDeleted_IsStale()
    {
        Deliver(Publish(_engine.Venue.BookFrame("A", 1000)));

        _time.Advance(LeaseTiming.For(_options.LeasePeriod).Ttl);
        Assert.Equal(BookTrustState.Stale, _replica.Get("A")!.State);

        Lease(Publisher);
        Assert.Equal(BookTrustState.Synced, _replica.Get("A")!.State);
        _replica.LeaseChanged(BusNames.SlotKey(BusNames.SlotOf("A", _options.Slots)), null);
        Assert.Equal(BookTrustState.Stale, _replica.Get("A")!.State);
    }

    [Fact]
    public void ASnapshotRecord_RoundTripsAndBasesTheBook()
    {
        Publish(_engine.Venue.BookFrame("A", 1000));
        Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30"));
        var record = BookSnapshotRecord.Of(_engine.View("A"), 42, Publisher);

        var read = BookSnapshotRecord.TryParse(record.ToJson())!;
        _replica.Load("A", read);

        Assert.Equal((42UL, Publisher, BookTrustState.Synced), (read.StreamSequence, read.Node, read.State));
        AssertEqualsEngine();
        Assert.Null(BookSnapshotRecord.TryParse("""{"v":1,"state":"Synced"}"""u8));
    }
}
