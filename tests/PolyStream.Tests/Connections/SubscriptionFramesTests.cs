using System.Text;
using System.Text.Json;
using PolyStream.Auth;
using PolyStream.Connections;

namespace PolyStream.Tests.Connections;

public sealed class SubscriptionFramesTests
{
    private static string[] Ids(int count) => [.. Enumerable.Range(0, count).Select(i => $"tok{i}")];

    private static JsonElement Parse(byte[] frame) => JsonDocument.Parse(frame).RootElement.Clone();

    private static string[] Strings(JsonElement element, string name) => [.. element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void Initial_Market250_InitialFormThenOperationChunksOfAtMost100()
    {
        var ids = Ids(250);

        var frames = SubscriptionFrames.Initial(WsChannel.Market, ids, 100, customFeatures: true, credentials: null).Select(Parse).ToList();

        Assert.Equal(3, frames.Count);
        Assert.Equal("market", frames[0].GetProperty("type").GetString());
        Assert.False(frames[0].TryGetProperty("operation", out _));
        Assert.True(frames[0].GetProperty("initial_dump").GetBoolean());
        Assert.True(frames[0].GetProperty("custom_feature_enabled").GetBoolean());
        Assert.All(frames.Skip(1), f =>
        {
            Assert.Equal("subscribe", f.GetProperty("operation").GetString());
            Assert.False(f.TryGetProperty("type", out _));
            Assert.True(f.GetProperty("initial_dump").GetBoolean());
        });
        Assert.Equal([100, 100, 50], frames.Select(f => f.GetProperty("assets_ids").GetArrayLength()));
        Assert.Equal(ids, frames.SelectMany(f => Strings(f, "assets_ids")));
    }

    [Fact]
    public void Initial_ExactMultiple_NoEmptyTrailingFrame()
    {
        var frames = SubscriptionFrames.Initial(WsChannel.Market, Ids(200), 100, customFeatures: false, credentials: null);

        Assert.Equal(2, frames.Count);
        Assert.False(Parse(frames[0]).GetProperty("custom_feature_enabled").GetBoolean());
    }

    [Fact]
    public void Initial_NoIds_OneInitialFrameWithEmptyList()
    {
        var frames = SubscriptionFrames.Initial(WsChannel.Market, [], 100, customFeatures: true, credentials: null);

        var frame = Assert.Single(frames);
        Assert.Equal("{\"type\":\"market\",\"assets_ids\":[],\"initial_dump\":true,\"custom_feature_enabled\":true}", Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void Initial_User_AuthTypeMarketsInOrder()
    {
        var credentials = new ApiCredentials("key-1", "sec/ret", "pass");

        var frames = SubscriptionFrames.Initial(WsChannel.User, ["0xabc", "0xdef"], 1, customFeatures: true, credentials);

        Assert.Equal(2, frames.Count);
        Assert.Equal("{\"auth\":{\"apiKey\":\"key-1\",\"secret\":\"sec/ret\",\"passphrase\":\"pass\"},\"type\":\"user\",\"markets\":[\"0xabc\"]}", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("{\"operation\":\"subscribe\",\"markets\":[\"0xdef\"]}", Encoding.UTF8.GetString(frames[1]));
    }

    [Fact]
    public void Update_Unsubscribe_OperationWithoutDumpFlags()
    {
        var frames = SubscriptionFrames.Update(WsChannel.Market, subscribe: false, Ids(3), 2, customFeatures: true);

        Assert.Equal(2, frames.Count);
        Assert.Equal("{\"operation\":\"unsubscribe\",\"assets_ids\":[\"tok0\",\"tok1\"]}", Encoding.UTF8.GetString(frames[0]));
        Assert.Equal("{\"operation\":\"unsubscribe\",\"assets_ids\":[\"tok2\"]}", Encoding.UTF8.GetString(frames[1]));
    }

    [Fact]
    public void Update_Subscribe_ChunksAndDumpFlag()
    {
        var frames = SubscriptionFrames.Update(WsChannel.Market, subscribe: true, Ids(301), 100, customFeatures: true).Select(Parse).ToList();

        Assert.Equal([100, 100, 100, 1], frames.Select(f => f.GetProperty("assets_ids").GetArrayLength()));
        Assert.All(frames, f => Assert.Equal("subscribe", f.GetProperty("operation").GetString()));
    }

    [Fact]
    public void Update_NoIds_NoFrames()
    {
        Assert.Empty(SubscriptionFrames.Update(WsChannel.Market, subscribe: true, [], 100, customFeatures: true));
    }
}
