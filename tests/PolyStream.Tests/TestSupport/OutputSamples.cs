using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Tests.TestSupport;

/// <summary>
/// At least one stream event of every kind the CLI prints, from an engine fed venue frames (so book events carry
/// linked views as they do live) and the shared samples, plus strings that need JSON escaping and cleaning.
/// Fixtures/output/ holds the lines the formatters of the baseline wrote for them.
/// </summary>
internal static class OutputSamples
{
    public static async Task<List<StreamEvent>> AllKindsAsync()
    {
        var events = new List<StreamEvent>();
        await using (var harness = new BookEngineHarness(null, "71321045679252212594626385532706912750332728571942532289631379312455583992563", "B"))
        {
            const string longId = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
            var venue = harness.Venue.WithBook(longId, "B");
            events.AddRange(harness.Feed(venue.BookFrame(longId, 1001)));
            events.AddRange(harness.Feed(venue.BookFrame("B", 1001)));
            events.AddRange(harness.Feed(venue.ChangeFrame(1002, [(longId, Side.Buy, "0.46", "30"), ("B", Side.Sell, "0.54", "30")])));
            venue.Trade(longId, "0.46");
            events.AddRange(harness.Feed(Venue.TradeFrame(longId, "0.46", 1003)));
            events.AddRange(harness.Feed(venue.TickSizeFrame("B", "0.01", "0.001", 1004)));
            events.AddRange(harness.Feed(venue.ChangeFrame(1005, longId, Side.Sell, "0.56", "0", badHash: true)));
            events.AddRange(harness.Feed(venue.ChangeFrame(1006, "B", Side.Buy, "0.455", "12.5")));
        }

        foreach (var sample in (string[])["nautilus_ws_market_best_bid_ask_msg.json", "nautilus_ws_market_new_market_msg.json", "nautilus_ws_market_resolved_msg.json", "nautilus_ws_order_placement.json", "nautilus_ws_user_trade1.json"])
        {
            events.AddRange((await TestEvents.OfSampleAsync(sample)).Events);
        }

        events.Add(new MarketCreated { Market = "0xm", Slug = "rain\u001b[2J", Question = "\u001b]0;pwned\u0007Will it \"rain\" in Zürich ☂ <b>?", AssetIds = ["1", "2"], Outcomes = ["Oui", "Non"] });
        events.Add(new ResyncRequested { AssetId = "B", Epoch = 3, Seq = 9, Reason = BookStateReason.HashMismatch });
        events.Add(new HashMismatchDetected { AssetId = "B", Epoch = 3, Seq = 10, Expected = BookHash.Parse("0000000000000000000000000000000000000bad"), Actual = BookHash.Parse("00000000000000000000000000000000000000ff"), Pending = true });
        events.Add(new Lagged { Count = 12345 });
        return events;
    }
}
