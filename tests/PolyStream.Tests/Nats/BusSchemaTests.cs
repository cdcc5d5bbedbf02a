using System.Text;
using System.Text.Json.Nodes;
using NJsonSchema;
using PolyStream.Nats;
using PolyStream.Protocol;

namespace PolyStream.Tests.Nats;

/// <summary>Every kind of bus message against the published schema (docs/schema/polystream-bus-v1.schema.json).</summary>
public sealed class BusSchemaTests : IAsyncDisposable
{
    private static readonly Lazy<JsonSchema> s_schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schema", "polystream-bus-v1.schema.json"))).GetAwaiter().GetResult());

    private readonly BookEngineHarness _engine = new(null, "A");
    private readonly BusEncoder _encoder = new("polystream", "node-a-1f2e3d");

    public BusSchemaTests()
    {
        _engine.Venue.WithBook("A");
    }

    public async ValueTask DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task EveryKindOfMessage_MatchesTheSchema()
    {
        var messages = new List<BusMessage>();
        messages.AddRange(Publish(_engine.Venue.BookFrame("A", 1000, withLastTradePrice: true)));
        messages.AddRange(Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")));
        _engine.Venue.Trade("A", "0.46");
        messages.AddRange(Publish(Venue.TradeFrame("A", "0.46", 1002)));
        messages.AddRange(Publish(_engine.Venue.ChangeFrame(1003, "A", Side.Sell, "0.6", "0", badHash: true)));
        messages.Add(_encoder.EncodeRebase(_engine.View("A")));
        messages.AddRange(Publish(_engine.Venue.TickSizeFrame("A", "0.01", "0.001", 1004)));
        foreach (var sample in (string[])["nautilus_ws_market_best_bid_ask_msg.json", "nautilus_ws_market_new_market_msg.json", "nautilus_ws_market_resolved_msg.json", "nautilus_ws_order_placement.json", "nautilus_ws_user_order_fok_killed.json", "nautilus_ws_user_trade1.json"])
        {
            messages.AddRange(await PublishSampleAsync(sample));
        }

        Assert.All(messages, m => Assert.Empty(Errors(m.Payload)));
        var types = messages.Select(m => JsonNode.Parse(m.Payload)!["type"]!.GetValue<string>()).ToHashSet();
        var declared = s_schema.Value.Properties["type"].Enumeration.Cast<string>();
        Assert.Equal(declared.Order(), types.Order());
    }

    [Fact]
    public void AMessageMissingWhatAReplicaNeeds_OrOfANewerVersion_FailsTheSchema_WhileAnUnknownFieldPasses()
    {
        var delta = Publish(_engine.Venue.BookFrame("A", 1000)).Concat(Publish(_engine.Venue.ChangeFrame(1001, "A", Side.Buy, "0.46", "30")))
            .Single(m => m.Subject.StartsWith("polystream.book_delta.", StringComparison.Ordinal));
        Assert.Empty(Errors(delta.Payload));

        Assert.NotEmpty(Errors(Edit(delta.Payload, json => json.Remove("content_hash"))));
        Assert.NotEmpty(Errors(Edit(delta.Payload, json => json["v"] = 2)));
        Assert.NotEmpty(Errors(Edit(delta.Payload, json => json["changes"]![0]!["price"] = "0,46")));
        Assert.Empty(Errors(Edit(delta.Payload, json => json["added_later"] = "consumers ignore it")));
    }

    private List<BusMessage> Publish(byte[] frame) => [.. _engine.Feed(frame).Select(_encoder.Encode).OfType<BusMessage>()];

    private async Task<List<BusMessage>> PublishSampleAsync(string sample) =>
        [.. (await TestEvents.OfSampleAsync(sample)).Events.Select(_encoder.Encode).OfType<BusMessage>()];

    private static ICollection<NJsonSchema.Validation.ValidationError> Errors(byte[] payload) => s_schema.Value.Validate(Encoding.UTF8.GetString(payload));

    private static byte[] Edit(byte[] payload, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(payload)!.AsObject();
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
