using PolyStream.Protocol;
using PolyStream.Rest;

namespace PolyStream.Tests.Protocol;

public sealed class TransportSecurityTests
{
    [Theory]
    [InlineData("https://clob.example/", true)]
    [InlineData("wss://ws.example/ws/market", true)]
    [InlineData("http://127.0.0.1:8081/", true)]
    [InlineData("ws://localhost:8081/ws/market", true)]
    [InlineData("http://[::1]:8081/", true)]
    [InlineData("http://clob.example/", false)]
    [InlineData("ws://10.0.0.5/ws/market", false)]
    public void IsSafe_EncryptedOrLoopback_OnlyThose(string uri, bool safe)
    {
        Assert.Equal(safe, TransportSecurity.IsSafe(new Uri(uri)));
    }

    [Fact]
    public void ClobClient_PlainTextRemoteHost_IsRefusedUnlessAllowed()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClobClient(new ClobClientOptions { Host = new Uri("http://clob.example/") }));
        Assert.Contains("--insecure", error.Message, StringComparison.Ordinal);

        using var allowed = new ClobClient(new ClobClientOptions { Host = new Uri("http://clob.example/"), AllowInsecureTransport = true });
    }

    [Fact]
    public async Task Streamer_PlainTextRemoteHost_IsRefusedBeforeConnecting()
    {
        await using var streamer = new Streamer(new StreamerConfig { MarketAssets = ["1"] });

        await Assert.ThrowsAsync<ArgumentException>(() => streamer.StartAsync(new Uri("http://clob.example/"), cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cli_PlainTextRemoteHost_ExitsTwoAndNamesInsecure()
    {
        var (code, _, error) = await CliRunner.RunAsync("book", "123", "--host", "http://clob.example/");

        Assert.Equal(2, code);
        Assert.Contains("--insecure", error, StringComparison.Ordinal);
    }
}
