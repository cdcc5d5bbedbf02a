using System.Net.WebSockets;
using System.Text;
using PolyStream.Protocol;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

public sealed class UserChannelTests
{
    private static readonly SimulatorOptions s_options = new()
    {
        Markets = 4,
        Seed = 8,
        MarketLifecycle = false,
        AccountOrderShare = 0.5,
        ApiKey = "3e2c94ca-8124-c4c1-c7ea-be1ea21b71fe",
        ApiSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ApiPassphrase = "pass",
    };

    private static string Auth(string secret, params string[] markets) =>
        $"{{\"auth\":{{\"apiKey\":\"{s_options.ApiKey}\",\"secret\":\"{secret}\",\"passphrase\":\"pass\"}},\"type\":\"user\",\"markets\":[{string.Join(',', markets.Select(m => $"\"{m}\""))}]}}";

    [Fact]
    public async Task Subscribe_BadCredentials_ConnectionDroppedWithoutCloseHandshake()
    {
        await using var host = await SimHost.StartAsync(s_options);
        await using var client = await SimClient.ConnectAsync(host.Server.UserWebSocketUrl);

        await client.SendAsync(Auth("wrong"));

        var error = await Assert.ThrowsAsync<WebSocketException>(client.ReceiveAsync);
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, error.WebSocketErrorCode);
    }

    [Fact]
    public async Task Subscribe_ValidCredentialsOneMarket_OnlyThatMarketsOrdersAndTrades()
    {
        await using var host = await SimHost.StartAsync(s_options);
        var market = host.Server.Engine.Markets[1].ConditionId;
        await using var client = await SimClient.ConnectAsync(host.Server.UserWebSocketUrl);
        await client.SendAsync(Auth(s_options.ApiSecret!, market));
        Assert.Empty(await client.DrainUntilPongAsync());

        var frames = host.Server.Step(4000);
        var received = await client.DrainUntilPongAsync();

        var expected = frames.Where(f => f.IsUserEvent && f.Market == market).Select(f => f.Text).ToList();
        Assert.Equal(expected, received);
        Assert.Contains(received, r => r.Contains("\"event_type\":\"order\"", StringComparison.Ordinal) && r.Contains("\"type\":\"PLACEMENT\"", StringComparison.Ordinal));
        Assert.Contains(received, r => r.Contains("\"event_type\":\"trade\"", StringComparison.Ordinal) && r.Contains("\"status\":\"CONFIRMED\"", StringComparison.Ordinal));
        var parser = new FrameParser();
        Assert.All(received, r => Assert.True(parser.Parse(Encoding.UTF8.GetBytes(r)).IsSuccess));
        Assert.All(received, r => Assert.Contains($"\"owner\":\"{s_options.ApiKey}\"", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subscribe_NoMarkets_AllMarketsAndNoMarketData()
    {
        await using var host = await SimHost.StartAsync(s_options);
        await using var client = await SimClient.ConnectAsync(host.Server.UserWebSocketUrl);
        await client.SendAsync(Auth(s_options.ApiSecret!));
        Assert.Empty(await client.DrainUntilPongAsync());

        var frames = host.Server.Step(1500);
        var received = await client.DrainUntilPongAsync();

        Assert.Equal(frames.Where(f => f.IsUserEvent).Select(f => f.Text), received);
        Assert.True(frames.Where(f => f.IsUserEvent).Select(f => f.Market).Distinct().Count() > 1);
        Assert.DoesNotContain(received, r => r.Contains("price_change", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ping_BeforeSubscribe_ClosesWith1008()
    {
        await using var host = await SimHost.StartAsync(s_options);
        await using var client = await SimClient.ConnectAsync(host.Server.UserWebSocketUrl);

        await client.SendAsync("PING");

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.Socket.CloseStatus);
    }
}
