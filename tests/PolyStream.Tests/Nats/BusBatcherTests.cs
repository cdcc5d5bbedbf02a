using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PolyStream.Events;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Tests.Nats;

/// <summary>Version 2 batches: what goes in one, their ids and bounds, and reading them back as events.</summary>
public sealed class BusBatcherTests : IAsyncDisposable
{
    private const int Slots = 32;
    private readonly BookEngineHarness _engine = new(null, "A", "B");

    public BusBatcherTests()
    {
        _engine.Venue.WithBook("A").WithBook("B");
    }

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    private static List<BusMessage> Batch(IEnumerable<StreamEvent> events, string publisher = "node-a-1")
    {
        var batcher = new BusBatcher(new BusEncoder("polystream", publisher), Slots);
        var messages = new List<BusMessage>();
        foreach (var e in events)
        {
            batcher.Add(e, messages);
        }

        batcher.Flush(messages);
        return messages;
    }

    private List<StreamEvent> Traffic(int deltas)
    {
        var events = new List<StreamEvent>();
        events.AddRange(_engine.Feed(_engine.Venue.BookFrame("A", 1000, withLastTradePrice: true)));
        events.AddRange(_engine.Feed(_engine.Venue.BookFrame("B", 1000)));
        for (var i = 0; i < deltas; i++)
        {
            events.AddRange(_engine.Feed(_engine.Venue.ChangeFrame(1001 + i, i % 3 == 0 ? "B" : "A", i % 2 == 0 ? Side.Buy : Side.Sell, i % 2 == 0 ? "0.4" : "0.6", (1 + i).ToString(CultureInfo.InvariantCulture))));
        }

        _engine.Venue.Trade("A", "0.4");
        events.AddRange(_engine.Feed(Venue.TradeFrame("A", "0.4", 5000)));
        return events;
    }

    [Fact]
    public void ABatchReadBack_GivesEveryEventAsItsVersion1Message_InOrder()
    {
        var events = Traffic(30);
        var version1 = new BusEncoder("polystream", "node-a-1");
        var expected = events.Select(version1.EncodeVersion1).OfType<BusMessage>().ToList();

        var messages = Batch(events);
        var read = messages.SelectMany((m, i) => NatsBusEvent.Of("polystream", m.Subject, (ulong)i, m.Payload.Span)).ToList();

        Assert.True(messages.Count < expected.Count, $"{messages.Count} messages for {expected.Count} events: nothing was batched");
        Assert.Equal(expected.Count, messages.Sum(m => m.Events));
        Assert.Equal(expected.Select(m => m.Subject).Order(), read.Select(e => e.Subject).Order());
        foreach (var asset in (string[])["A", "B"])
        {
            var want = expected.Where(m => m.Subject.EndsWith("." + asset, StringComparison.Ordinal)).Select(m => JsonNode.Parse(m.Payload.Span)).ToList();
            var got = read.Where(e => e.AssetId == asset).Select(e => JsonNode.Parse(e.Json)).ToList();
            Assert.Equal(want.Count, got.Count);
            Assert.All(want.Zip(got), pair => Assert.True(JsonNode.DeepEquals(pair.First, pair.Second), $"{pair.First?.ToJsonString()}\n{pair.Second?.ToJsonString()}"));
        }
    }

    [Fact]
    public void BatchIds_AreTheSameForTheSameEvents_AndDifferForOthers()
    {
        var events = Traffic(10);

        var first = Batch(events);
        var again = Batch(events);
        var fewer = Batch(events.Take(events.Count - 2));

        Assert.Equal(first.Select(m => m.MessageId), again.Select(m => m.MessageId));
        Assert.Equal(first.Count, first.Select(m => m.MessageId).Distinct().Count());
        var batch = first.First(m => m.Events > 1);
        Assert.Matches("^A:1:[0-9]+(:[a-z_]+:node-a-1:[0-9]+)?\\+[0-9]+:[0-9a-f]{16}$", batch.MessageId);
        Assert.DoesNotContain(fewer, m => m.Subject == batch.Subject && m.MessageId == batch.MessageId && m.Events != batch.Events);
        Assert.NotEqual(first.Last(m => m.Subject == batch.Subject).MessageId, fewer.Last(m => m.Subject == batch.Subject).MessageId);
    }

    [Fact]
    public void ABatchsId_IsItsFirstEventsIdItsCountAndTheHashOfEveryEventsIdEachEndedByANewline()
    {
        _engine.Feed(_engine.Venue.BookFrame("A", 1000));
        var deltas = Enumerable.Range(1, 5)
            .SelectMany(i => _engine.Feed(_engine.Venue.ChangeFrame(1000 + i, "A", Side.Buy, "0.4", (10 * i).ToString(CultureInfo.InvariantCulture))))
            .OfType<BookDeltaApplied>().ToList();
        var version1 = new BusEncoder("polystream", "node-a-1");
        var ids = deltas.Select(d => version1.EncodeVersion1(d)!.MessageId).ToList();

        var batch = Assert.Single(Batch(deltas));

        // The id the sink has always given such a batch, so a node of this release and one of the release before
        // publishing the same events are de-duplicated.
        var idsHash = System.IO.Hashing.XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(string.Concat(ids.Select(id => id + "\n"))));
        Assert.Equal(BusNames.BatchId(ids[0], 5, idsHash), batch.MessageId);
        Assert.StartsWith("A:1:1+5:", batch.MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_HoldOneSlotEach_AtMostMaxEventsAndMaxBytes()
    {
        var events = Traffic(400);

        var messages = Batch(events);

        var batches = messages.Where(m => m.Subject.StartsWith("polystream.batch.", StringComparison.Ordinal)).ToList();
        Assert.Contains(batches, b => b.Events == BusBatcher.MaxEvents);
        Assert.All(batches, b =>
        {
            Assert.InRange(b.Events, 1, BusBatcher.MaxEvents);
            Assert.InRange(b.Payload.Length, 1, BusBatcher.MaxBytes);
            var assets = NatsBusEvent.Of("polystream", b.Subject, 1, b.Payload.Span).Select(e => e.AssetId!).Distinct();
            Assert.All(assets, a => Assert.Equal(BusNames.BatchSubject("polystream", BusNames.SlotOf(a, Slots)), b.Subject));
        });
    }

    [Fact]
    public void ASnapshotOpeningAnEpoch_GoesAloneOnItsAssetsSubject_AfterTheEventsBeforeIt_AndOneContinuingItsEpochInTheBatch()
    {
        var events = Traffic(6);
        events.AddRange(_engine.Feed(_engine.Venue.BookFrame("A", 6000))); // the venue's book after a trade: the same levels, the epoch goes on
        _ = _engine.Venue.ChangeFrame(6001, "A", Side.Buy, "0.39", "7"); // a change the feed never delivers…
        events.AddRange(_engine.Feed(_engine.Venue.BookFrame("A", 6002))); // …so this book differs: a new epoch
        events.AddRange(_engine.Feed(_engine.Venue.ChangeFrame(6003, "A", Side.Buy, "0.41", "3")));

        var messages = Batch(events);

        var read = messages.SelectMany(m => NatsBusEvent.Of("polystream", m.Subject, 1, m.Payload.Span)).Where(e => e.AssetId == "A").Select(e => JsonNode.Parse(e.Json)!).ToList();
        var positions = read.Where(e => e["type"]!.GetValue<string>() is "book_snapshot" or "book_delta").Select(e => (e["epoch"]!.GetValue<long>(), e["seq"]!.GetValue<long>())).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(3, read.Count(e => e["type"]!.GetValue<string>() == "book_snapshot"));

        // Alone, where a node taking A over looks for the last epoch published: the first base and the new epoch.
        var alone = messages.Where(m => m.Subject == "polystream.book_snapshot.A").ToList();
        Assert.Equal(["A:1:0", $"A:{_engine.View("A").Epoch}:0"], alone.Select(m => m.MessageId));
        Assert.All(alone, s => Assert.Equal(1, s.Events));
        Assert.Contains(messages, m => m.Subject == BusNames.BatchSubject("polystream", BusNames.SlotOf("A", Slots)) && Encoding.UTF8.GetString(m.Payload.Span).Contains("\"book_snapshot\"", StringComparison.Ordinal));
    }

    [Fact]
    public void ABatchThatIsNotWhole_IsPassedOnAsItIs()
    {
        var batch = Batch(Traffic(4)).First(m => m.Events > 1);
        var text = System.Text.Encoding.UTF8.GetString(batch.Payload.Span);
        var unsafeAsset = System.Text.Encoding.UTF8.GetBytes(text.Replace("\"asset_id\":\"A\"", "\"asset_id\":\"A.>\"", StringComparison.Ordinal));

        Assert.Single(NatsBusEvent.Of("polystream", batch.Subject, 1, unsafeAsset));
        Assert.Single(NatsBusEvent.Of("polystream", batch.Subject, 1, batch.Payload.Span[..^2]));
        Assert.Single(NatsBusEvent.Of("polystream", batch.Subject, 1, """{"v":2,"node":"n","events":[]}"""u8));
        Assert.Equal(batch.Subject, NatsBusEvent.Of("polystream", batch.Subject, 1, unsafeAsset)[0].Subject);
    }
}
