using PolyStream.Cli.Commands;
using PolyStream.Events;

namespace PolyStream.Tests.Cli;

public sealed class VenueEventTextTests
{
    [Theory]
    [InlineData("nautilus_ws_market_new_market_msg.json", "nvda-above-240-on-january-30-2026 \"Will NVIDIA (NVDA) close above $240 end of January?\" (0x311…6b0c1)")]
    [InlineData("nautilus_ws_market_resolved_msg.json", "0x311…6b0c1 resolved: Yes won")]
    [InlineData("nautilus_ws_order_placement.json", "PLACEMENT BUY 5 @ 0.513, matched 0 (LIVE)")]
    [InlineData("nautilus_ws_user_trade1.json", "MINED BUY 1096.87 @ 0.518 as MAKER")]
    public async Task Detail_OfARealMarketOrUserEvent_SaysWhatHappened(string sample, string expected) =>
        Assert.Equal(expected, VenueEventText.Detail((await TestEvents.OfSampleAsync(sample)).Events[0]));

    [Fact]
    public void Detail_OfABookEvent_IsNone() =>
        Assert.Null(VenueEventText.Detail(new Lagged { Count = 3 }));
}
