using System.Text.Json;
using PolyStream.Events;
using static PolyStream.Tests.Universe.UniverseMarkets;

namespace PolyStream.Tests.Universe;

public sealed class UniverseChangedJsonTests
{
    [Fact]
    public void Line_UniverseChanged_WritesReasonCountsAddedMarketsAndRemovedIds()
    {
        var line = StreamEventJson.Line(new UniverseChanged { Reason = UniverseChangeReason.Listed, Added = [Market(3)], Removed = [ConditionId(4)], Markets = 10, Tokens = 20 });

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("universe_changed", root.GetProperty("type").GetString());
        Assert.False(root.TryGetProperty("asset_id", out _));
        Assert.Equal("Listed", root.GetProperty("reason").GetString());
        Assert.Equal((10, 20), (root.GetProperty("markets").GetInt32(), root.GetProperty("tokens").GetInt32()));
        var added = Assert.Single(root.GetProperty("added").EnumerateArray().ToList());
        Assert.Equal(ConditionId(3), added.GetProperty("market").GetString());
        Assert.Equal(["31", "32"], added.GetProperty("asset_ids").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([ConditionId(4)], root.GetProperty("removed").EnumerateArray().Select(t => t.GetString()));
    }
}
