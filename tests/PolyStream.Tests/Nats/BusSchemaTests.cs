using System.Text;
using System.Text.Json.Nodes;
using NJsonSchema;
using PolyStream.Events;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Tests.Nats;

/// <summary>Every kind of bus message against the published schemas (docs/schema/polystream-bus-v1.schema.json and -v2).</summary>
public sealed class BusSchemaTests : IAsyncDisposable
{
    private static readonly Lazy<JsonSchema> s_schema = new(() => Load("polystream-bus-v1.schema.json"));
    private static readonly Lazy<JsonSchema> s_batchSchema = new(() => Load("polystream-bus-v2.schema.json"));

    private readonly BookEngineHarness _engine = new(null, "A");
    private readonly BusEncoder _encoder = new("polystream", "node-a-1f2e3d");

    public BusSchemaTests()
    {
        _engine.Venue.WithBook("A");
    }

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // each event read back as a version 1 message, each envelope against the version 2 schema
    public async Task EveryKindOfMessage_MatchesTheSchema(int version)
    {
        var events = new List<StreamEvent>();
        events.AddRange(_engine.Feed(_engine.Venue.BookFrame("A", 1000, withLastTradePrice: true)));
        events.AddRange(_engine.Feed(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")));
        _engine.Venue.Trade("A", "0.46");
        events.AddRange(_engine.Feed(Venue.TradeFrame("A", "0.46", 1002)));
        events.AddRange(_engine.Feed(_engine.Venue.ChangeFrame(1003, "A", Side.Sell, "0.6", "0", badHash: true)));
        var rebase = _encoder.EncodeRebase(_engine.View("A"));
        events.AddRange(_engine.Feed(_engine.Venue.TickSizeFrame("A", "0.01", "0.001", 1004)));
        foreach (var sample in (string[])["nautilus_ws_market_best_bid_ask_msg.json", "nautilus_ws_market_new_market_msg.json", "nautilus_ws_market_resolved_msg.json", "nautilus_ws_order_placement.json", "nautilus_ws_user_order_fok_killed.json", "nautilus_ws_user_trade1.json"])
        {
            events.AddRange((await TestEvents.OfSampleAsync(sample)).Events);
        }

        // Re-bases are only written as version 2; read back, each is its version 1 message.
        var messages = version == 1 ? [.. events.Select(_encoder.EncodeVersion1).OfType<BusMessage>()] : Batch(events);
        var bodies = version == 1 ? [.. messages.Select(m => m.Payload.ToArray()), ReadBack(rebase)[0]] : messages.Append(rebase).SelectMany(ReadBack).ToList();
        Assert.All(messages.Append(rebase).Where(_ => version == 2), m => Assert.Empty(s_batchSchema.Value.Validate(Encoding.UTF8.GetString(m.Payload.Span))));

        Assert.All(bodies, b => Assert.Empty(Errors(b)));
        var types = bodies.Select(b => JsonNode.Parse(b)!["type"]!.GetValue<string>()).ToHashSet();
        var declared = s_schema.Value.Properties["type"].Enumeration.Cast<string>();
        Assert.Equal(declared.Order(), types.Order());
    }

    [Fact]
    public void ABatchWithoutItsNodeOrEvents_OrOfANewerVersion_FailsTheSchema()
    {
        var batch = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Batch(_engine.Feed(_engine.Venue.BookFrame("A", 1000))).First().Payload.Span));
        Assert.Empty(s_batchSchema.Value.Validate(Encoding.UTF8.GetString(batch)));

        Assert.NotEmpty(s_batchSchema.Value.Validate(Encoding.UTF8.GetString(Edit(batch, json => json.Remove("node")))));
        Assert.NotEmpty(s_batchSchema.Value.Validate(Encoding.UTF8.GetString(Edit(batch, json => json["events"] = new JsonArray()))));
        Assert.NotEmpty(s_batchSchema.Value.Validate(Encoding.UTF8.GetString(Edit(batch, json => json["v"] = 3))));
    }

    private static List<byte[]> ReadBack(BusMessage message) =>
        [.. NatsBusEvent.Of("polystream", message.Subject, 1, message.Payload.Span).Select(e => Encoding.UTF8.GetBytes(e.Json))];

    private static JsonSchema Load(string file) =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schema", file))).GetAwaiter().GetResult();

    private List<BusMessage> Batch(IEnumerable<StreamEvent> events)
    {
        var batcher = new BusBatcher(_encoder, 32);
        var messages = new List<BusMessage>();
        foreach (var e in events)
        {
            batcher.Add(e, messages);
        }

        batcher.Flush(messages);
        return messages;
    }

    [Fact]
    public void AMessageMissingWhatAReplicaNeeds_OrOfANewerVersion_FailsTheSchema_WhileAnUnknownFieldPasses()
    {
        var delta = Publish(_engine.Venue.BookFrame("A", 1000)).Concat(Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")))
            .Single(m => m.Subject.StartsWith("polystream.book_delta.", StringComparison.Ordinal));
        Assert.Empty(Errors(delta.Payload.ToArray()));

        Assert.NotEmpty(Errors(Edit(delta.Payload.ToArray(), json => json.Remove("content_hash"))));
        Assert.NotEmpty(Errors(Edit(delta.Payload.ToArray(), json => json["v"] = 2)));
        Assert.NotEmpty(Errors(Edit(delta.Payload.ToArray(), json => json["changes"]![0]!["price"] = "0,46")));
        Assert.Empty(Errors(Edit(delta.Payload.ToArray(), json => json["added_later"] = "consumers ignore it")));
    }

    private List<BusMessage> Publish(byte[] frame) => [.. _engine.Feed(frame).Select(_encoder.EncodeVersion1).OfType<BusMessage>()];

    private static ICollection<NJsonSchema.Validation.ValidationError> Errors(byte[] payload) => s_schema.Value.Validate(Encoding.UTF8.GetString(payload));

    private static byte[] Edit(byte[] payload, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(payload)!.AsObject();
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
