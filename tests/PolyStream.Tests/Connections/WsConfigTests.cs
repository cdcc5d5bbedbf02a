using System.Globalization;
using PolyStream.Auth;
using PolyStream.Connections;

namespace PolyStream.Tests.Connections;

public sealed class WsConfigTests
{
    private sealed class NullSink : IFrameSink
    {
        public void OnFrame(ReadOnlySpan<byte> frame, long receivedAtTimestamp, long connectionId)
        {
        }

        public void OnStateChanged(WsStateChange change)
        {
        }
    }

    [Fact]
    public void Defaults_MatchTheVenuePolicy()
    {
        var config = new WsConfig();

        Assert.Equal(TimeSpan.FromSeconds(10), config.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), config.PongTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), config.NoDataTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), config.ReconnectBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), config.ReconnectMaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), config.StableAfter);
        Assert.Equal(32 * 1024 * 1024, config.MaxFrameBytes); // the parser's limit too (WireLimits)
        Assert.Equal(100, config.MaxIdsPerFrame);
        Assert.Equal(TimeSpan.FromMicroseconds(50), config.WakeHold);
        Assert.Equal(TimeSpan.Zero, config.ReceiveGather);
        Assert.Equal(WsChannel.Market, config.Channel);
    }

    [Fact]
    public void ToString_UserCredentials_SecretNotShown()
    {
        var config = new WsConfig { Channel = WsChannel.User, Credentials = new ApiCredentials("abcdefgh-key", "TOPSECRETVALUE", "PASSPHRASEVALUE") };

        var text = config.ToString();

        Assert.DoesNotContain("TOPSECRETVALUE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PASSPHRASEVALUE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefgh-key", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ws://10.0.0.5:8080/ws/user")]
    [InlineData("ws://ws-subscriptions-clob.example.com/ws/user")]
    public void Constructor_CredentialsOverPlainWsToAnotherMachine_Throws(string url)
    {
        var config = new WsConfig { Url = new Uri(url), Channel = WsChannel.User, Credentials = new ApiCredentials("abcdefgh-key", "TOPSECRETVALUE", "PASSPHRASEVALUE") };

        var error = Assert.Throws<ArgumentException>(() => new WsClient(config, new NullSink()));

        Assert.Contains("wss://", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wss://ws-subscriptions-clob.example.com/ws/user")]
    [InlineData("ws://127.0.0.1:8081/ws/user")]
    [InlineData("ws://localhost:8081/ws/user")]
    public async Task Constructor_CredentialsOverTlsOrLoopback_IsAccepted(string url)
    {
        var config = new WsConfig { Url = new Uri(url), Channel = WsChannel.User, Credentials = new ApiCredentials("abcdefgh-key", "TOPSECRETVALUE", "PASSPHRASEVALUE") };

        await using var client = new WsClient(config, new NullSink());

        Assert.Equal(WsState.Idle, client.State);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Constructor_WakeHoldNegativeOrPastTenMilliseconds_Throws(int microseconds)
    {
        var config = new WsConfig { WakeHold = TimeSpan.FromMicroseconds(microseconds) };

        Assert.Throws<ArgumentOutOfRangeException>(() => new WsClient(config, new NullSink()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(50_001)]
    public void Constructor_ReceiveGatherNegativeOrPastFiftyMilliseconds_Throws(int microseconds)
    {
        var config = new WsConfig { ReceiveGather = TimeSpan.FromMicroseconds(microseconds) };

        Assert.Throws<ArgumentOutOfRangeException>(() => new WsClient(config, new NullSink()));
    }

    [Fact]
    public void Constructor_UserChannelWithoutCredentials_Throws()
    {
        Assert.Throws<ArgumentException>(() => new WsClient(new WsConfig { Channel = WsChannel.User }, new NullSink()));
    }

    [Fact]
    public async Task DisposeAsync_NeverStarted_ClosedAndIdempotent()
    {
        var client = new WsClient(new WsConfig(), new NullSink());

        await client.DisposeAsync();
        await client.DisposeAsync();

        Assert.Equal(WsState.Closed, client.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void CheckPeriod_QuarterOfShortestInterval()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(2500), WsClient.CheckPeriod(new WsConfig()));
        Assert.Equal(TimeSpan.FromMilliseconds(25), WsClient.CheckPeriod(new WsConfig { PingInterval = TimeSpan.FromMilliseconds(100) }));
        Assert.Equal(TimeSpan.FromMilliseconds(50), WsClient.CheckPeriod(new WsConfig { PingInterval = TimeSpan.FromSeconds(1), NoDataTimeout = TimeSpan.FromMilliseconds(200) }));
        Assert.Equal(TimeSpan.FromMilliseconds(5), WsClient.CheckPeriod(new WsConfig { PingInterval = TimeSpan.FromMilliseconds(1) }));
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData(" 120 ", 120)]
    public void RetryAfter_Seconds_Parsed(string value, int seconds)
    {
        var headers = new Dictionary<string, IEnumerable<string>> { ["retry-after"] = [value] };

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(headers, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void RetryAfter_HttpDate_RelativeToNow()
    {
        var now = new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero);
        var headers = new Dictionary<string, IEnumerable<string>> { ["Retry-After"] = [now.AddSeconds(7).ToString("r", CultureInfo.InvariantCulture)] };

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterHeader.Parse(headers, now));
    }

    [Fact]
    public void RetryAfter_MissingOrGarbage_Null()
    {
        Assert.Null(RetryAfterHeader.Parse(null, DateTimeOffset.UnixEpoch));
        Assert.Null(RetryAfterHeader.Parse(new Dictionary<string, IEnumerable<string>> { ["Retry-After"] = ["soon"] }, DateTimeOffset.UnixEpoch));
        Assert.Null(RetryAfterHeader.Parse(new Dictionary<string, IEnumerable<string>> { ["X-Other"] = ["5"] }, DateTimeOffset.UnixEpoch));
    }
}
