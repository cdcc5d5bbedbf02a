using PolyStream.Auth;
using PolyStream.Sharding;

namespace PolyStream.Tests.Sharding;

/// <summary>The user feed starts only with what it needs: whole credentials and markets given as condition ids.</summary>
public sealed class UserFeedTests
{
    private const string Market = "0xdd22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917";
    private static readonly ApiCredentials s_credentials = new("3e2c94ca-8124-c4c1-c7ea-be1ea21b71fe", "c2VjcmV0", "pass");

    [Fact]
    public void EnsureReady_WholeCredentialsAndConditionIds_Passes()
    {
        UserFeed.EnsureReady(s_credentials, [Market]);
        UserFeed.EnsureReady(s_credentials, []);
    }

    [Theory]
    [InlineData("", "s", "p", "API key")]
    [InlineData("k", " ", "p", "secret")]
    [InlineData("k", "s", "", "passphrase")]
    public void EnsureReady_ACredentialEmpty_NamesIt(string key, string secret, string passphrase, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => UserFeed.EnsureReady(new ApiCredentials(key, secret, passphrase), [Market]));

        Assert.Contains($"the {named} is empty", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("21742633143463906290569050155826241533067272736897614950488156847949938836455")]
    [InlineData("0xdd22")]
    [InlineData("0xzz22472e552920b8438158ea7238bfadfa4f736aa4cee91a6b86c39ead110917")]
    public void EnsureReady_AMarketThatIsNoConditionId_NamesIt(string market)
    {
        var error = Assert.Throws<ArgumentException>(() => UserFeed.EnsureReady(s_credentials, [Market, market]));

        Assert.Contains($"'{market}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UserMarketsGivenAsTokenIds_FailsBeforeConnectingAnything()
    {
        await using var streamer = new Streamer(new StreamerConfig { MarketAssets = ["1"], UserAuth = s_credentials, UserMarkets = ["123"] });

        await Assert.ThrowsAsync<ArgumentException>(() => streamer.StartAsync(new Uri("http://127.0.0.1:9/"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Empty(streamer.Shards);
        Assert.Null(streamer.UserFeedHealth);
    }
}
