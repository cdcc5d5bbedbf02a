using System.Text.Json;
using PolyStream.Books;
using PolyStream.Bus;
using PolyStream.Engine;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Tests.Engine;

/// <summary>Real captured frames (Fixtures/) through the engine.</summary>
public sealed class RealFrameTests
{
    private const string TrackedAsset = "94022367472047775158269173293876979533288470167463650966689320774843018181757";

    [Fact]
    public async Task Process_RealCapture2025_BookIsSyncedAndEveryHashMatches()
    {
        await using var bus = new EventBus();
        await using var events = bus.Subscribe();
        var engine = new BookEngine(bus, new BookEngineOptions { HashVersion = BookHashVersion.V9 });
        engine.Track(TrackedAsset);

        var receive = 0L;
        foreach (var line in File.ReadAllLines(Fixture.PathOf("captures/polypy_2025-10_v9.ndjson")))
        {
            Assert.True(engine.Process(Fixture.Utf8(line), ++receive));
        }

        var view = engine.GetOrderBook(TrackedAsset)!;
        Assert.Equal((BookTrustState.Synced, 1L, 2L, HashOutcome.Matched), (view.State, view.Epoch, view.Seq, view.LastHashOutcome));
        var counts = engine.Counts;

        // Both price_change frames also carry the sibling token's entry (complement leakage).
        Assert.Equal((3L, 0L, 2L), (counts.HashesChecked, counts.HashMismatches, counts.Untracked));
        Assert.DoesNotContain(TestEvents.Drain(events), e => e is HashMismatchDetected or ParseFailure);
    }

    [Theory]
    [InlineData("nautilus_ws_last_trade_price.json", typeof(LastTradeReceived))]
    [InlineData("nautilus_ws_market_best_bid_ask_msg.json", typeof(BestBidAskReceived))]
    [InlineData("nautilus_ws_tick_size_change.json", typeof(TickSizeChanged))]
    [InlineData("nautilus_ws_market_new_market_msg.json", typeof(MarketCreated))]
    [InlineData("nautilus_ws_market_resolved_msg.json", typeof(MarketResolved))]
    [InlineData("nautilus_ws_order_placement.json", typeof(UserOrderReceived))]
    [InlineData("nautilus_ws_user_order_fok_killed.json", typeof(UserOrderReceived))]
    [InlineData("nautilus_ws_user_trade1.json", typeof(UserTradeReceived))]
    public async Task Process_RealSampleFrame_IsPublishedAsItsStreamEvent(string sample, Type expected)
    {
        var (published, parseFailures) = await TestEvents.OfSampleAsync(sample);

        Assert.IsType(expected, published[0]);
        Assert.All(published, e => Assert.Equal(7, e.ReceiveTimestamp));
        Assert.Equal(0, parseFailures);
    }

    [Theory]
    [InlineData("nautilus_ws_order_placement.json", false)]
    [InlineData("nautilus_ws_order_cancel.json", true)]
    [InlineData("nautilus_ws_user_order_fok_killed.json", true)] // CANCELED_ with the venue's reason
    public async Task Process_RealUserOrder_SaysWhetherItWasCanceled(string sample, bool canceled)
    {
        var (published, _) = await TestEvents.OfSampleAsync(sample);

        Assert.Equal(canceled, Assert.IsType<UserOrderReceived>(Assert.Single(published)).IsCanceled);
    }

    [Theory]
    [InlineData("nautilus_ws_market_new_market_msg.json", "market=market", "market_id=id", "question=question", "slug=slug", "asset_ids=assets_ids", "outcomes=outcomes")]
    [InlineData("nautilus_ws_market_resolved_msg.json", "market=market", "market_id=id", "asset_ids=assets_ids", "winning_asset_id=winning_asset_id", "winning_outcome=winning_outcome", "tags=tags")]
    [InlineData("nautilus_ws_order_placement.json", "asset_id=asset_id", "order_id=id", "market=market", "order_event=type", "status=status", "side=side", "price=price", "original_size=original_size", "size_matched=size_matched", "order_type=order_type")]
    [InlineData("nautilus_ws_user_trade1.json", "asset_id=asset_id", "trade_id=id", "market=market", "status=status", "side=side", "price=price", "size=size", "taker_order_id=taker_order_id", "trader_side=trader_side")]
    public async Task Line_RealVenueEvent_CarriesTheVenueFieldsAsSent(string sample, params string[] fields)
    {
        using var line = JsonDocument.Parse(StreamEventJson.Line((await TestEvents.OfSampleAsync(sample)).Events[0]));
        using var sent = JsonDocument.Parse(Fixture.Sample(sample));
        foreach (var field in fields)
        {
            var (ours, venue) = (field.Split('=')[0], field.Split('=')[1]);
            Assert.Equal(Unquoted(sent.RootElement.GetProperty(venue)), Unquoted(line.RootElement.GetProperty(ours)));
        }
    }

    [Fact]
    public async Task Line_RealUserTrade_ListsItsMakerOrders()
    {
        using var line = JsonDocument.Parse(StreamEventJson.Line((await TestEvents.OfSampleAsync("nautilus_ws_user_trade1.json")).Events[0]));
        using var sent = JsonDocument.Parse(Fixture.Sample("nautilus_ws_user_trade1.json"));
        var makers = line.RootElement.GetProperty("maker_orders").EnumerateArray().ToList();
        var sentMakers = sent.RootElement.GetProperty("maker_orders").EnumerateArray().ToList();
        Assert.Equal(sentMakers.Count, makers.Count);
        Assert.All(makers.Zip(sentMakers), pair =>
        {
            foreach (var field in (string[])["order_id", "asset_id", "matched_amount", "price", "outcome"])
            {
                Assert.Equal(pair.Second.GetProperty(field).GetString(), pair.First.GetProperty(field).GetString());
            }

            Assert.Equal(Redaction.ApiKey(pair.Second.GetProperty("owner").GetString()!), pair.First.GetProperty("owner").GetString());
        });
    }

    [Theory]
    [InlineData("nautilus_ws_order_placement.json")]
    [InlineData("nautilus_ws_user_trade1.json")]
    public async Task Line_RealUserEvent_NeverCarriesTheApiKeyTheVenueSendsAsOwner(string sample)
    {
        using var sent = JsonDocument.Parse(Fixture.Sample(sample));
        var apiKey = sent.RootElement.GetProperty("owner").GetString()!;

        var line = StreamEventJson.Line((await TestEvents.OfSampleAsync(sample)).Events[0]);

        Assert.True(apiKey.Length > 8, "the sample's owner is a real-looking API key");
        Assert.DoesNotContain(apiKey, line, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(line);
        Assert.Equal(apiKey[..4] + "…", parsed.RootElement.GetProperty("owner").GetString());
    }

    // Strings as they are; arrays as their strings joined, so a list field compares in one assertion.
    private static string Unquoted(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Join(',', value.EnumerateArray().Select(v => v.GetString()))
        : value.ToString();
}
