using System.Net;
using System.Text;
using PolyStream.Auth;
using PolyStream.Rest;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>API keys against the simulator: create, derive, use and revoke, and every way a forgery is refused.</summary>
public sealed class AuthTests
{
    private const string HardhatKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string OtherKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private static ClobClient Client(SimHost host, ClobCredentials credentials) =>
        new(new ClobClientOptions { Host = host.Server.BaseUrl, EnforceRateLimits = false }, credentials);

    [Fact]
    public async Task CreateDeriveUseRevoke_RoundTripsAgainstTheSimulator()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 2 });
        var ct = TestContext.Current.CancellationToken;
        var key = Secp256k1Key.FromHex(HardhatKey);
        using var wallet = Client(host, new ClobCredentials { Signer = key });

        var created = await wallet.CreateOrDeriveApiKeyAsync(cancellationToken: ct);
        var again = await wallet.CreateOrDeriveApiKeyAsync(cancellationToken: ct);
        var derived = await wallet.DeriveApiKeyAsync(cancellationToken: ct);
        var otherNonce = await wallet.CreateApiKeyAsync(nonce: 1, cancellationToken: ct);

        Assert.Equal(created, again);
        Assert.Equal(created, derived);
        Assert.NotEqual(created.ApiKey, otherNonce.ApiKey);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", created.ApiKey);
        Assert.Equal(44, created.Secret.Length);
        Assert.Matches("^[0-9a-f]{64}$", created.Passphrase);

        using var user = Client(host, new ClobCredentials { Api = created, Address = key.Address });
        Assert.Equal([created.ApiKey, otherNonce.ApiKey], (await user.GetApiKeysAsync(ct)).Order());

        await user.DeleteApiKeyAsync(ct);
        var revoked = await Assert.ThrowsAsync<ClobApiException>(() => user.GetApiKeysAsync(ct));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task CreateApiKey_SignedByAnotherWallet_IsRefusedWith401()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1 });
        var victim = Secp256k1Key.FromHex(HardhatKey).Address;
        var attacker = Secp256k1Key.FromHex(OtherKey);
        using var http = new HttpClient { BaseAddress = host.Server.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/api-key");
        request.Headers.Add("POLY_ADDRESS", victim);
        request.Headers.Add("POLY_SIGNATURE", ClobAuth.Sign(attacker, 1_000, 0));
        request.Headers.Add("POLY_TIMESTAMP", "1000");
        request.Headers.Add("POLY_NONCE", "0");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"Unauthorized/Invalid api key"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task L2Call_WrongSecret_IsRefusedWith401()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1 });
        var key = Secp256k1Key.FromHex(HardhatKey);
        using var wallet = Client(host, new ClobCredentials { Signer = key });
        var created = await wallet.CreateApiKeyAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var forger = Client(host, new ClobCredentials { Api = created with { Secret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" }, Address = key.Address });

        var error = await Assert.ThrowsAsync<ClobApiException>(() => forger.GetApiKeysAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("Unauthorized/Invalid api key", error.VenueMessage);
    }

    [Fact]
    public async Task L2Call_BodyTamperedAfterSigning_IsRefusedWith401()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 1 });
        var key = Secp256k1Key.FromHex(HardhatKey);
        using var wallet = Client(host, new ClobCredentials { Signer = key });
        var created = await wallet.CreateApiKeyAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = host.Server.BaseUrl };

        async Task<HttpStatusCode> SendAsync(string signedBody, string sentBody)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "auth/api-keys") { Content = new StringContent(sentBody, Encoding.UTF8) };
            request.Headers.Add("POLY_ADDRESS", key.Address);
            request.Headers.Add("POLY_SIGNATURE", L2Signature.Sign(created.Secret, "1000", "GET", "/auth/api-keys", signedBody));
            request.Headers.Add("POLY_TIMESTAMP", "1000");
            request.Headers.Add("POLY_API_KEY", created.ApiKey);
            request.Headers.Add("POLY_PASSPHRASE", created.Passphrase);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync("""{"hash":"0x123"}""", """{"hash":"0x123"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync("""{"hash":"0x123"}""", """{"hash":"0x124"}"""));
    }

    [Fact]
    public async Task UserChannel_IssuedKey_IsAccepted()
    {
        await using var host = await SimHost.StartAsync(new SimulatorOptions { Markets = 2, AccountOrderShare = 0.5, MarketLifecycle = false });
        using var wallet = Client(host, new ClobCredentials { Signer = Secp256k1Key.FromHex(HardhatKey) });
        var created = await wallet.CreateApiKeyAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var client = await SimClient.ConnectAsync(host.Server.UserWebSocketUrl);

        await client.SendAsync($$"""{"auth":{"apiKey":"{{created.ApiKey}}","secret":"{{created.Secret}}","passphrase":"{{created.Passphrase}}"},"type":"user","markets":[]}""");
        Assert.Empty(await client.DrainUntilPongAsync());
        var frames = host.Server.Step(2000);

        var received = await client.DrainUntilPongAsync();
        Assert.NotEmpty(received);
        Assert.Equal(frames.Where(f => f.IsUserEvent).Select(f => f.Text), received);
    }
}
