using System.Net;
using PolyStream.Auth;
using PolyStream.Rest;

namespace PolyStream.Tests.Rest;

public sealed class RestTransportTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8081/gamma/", "http://127.0.0.1:8081/gamma/markets?limit=5")]
    [InlineData("http://127.0.0.1:8081/gamma", "http://127.0.0.1:8081/gamma/markets?limit=5")]
    [InlineData("http://127.0.0.1:8081", "http://127.0.0.1:8081/markets?limit=5")]
    public void Resolve_KeepsTheHostsPathWithOrWithoutATrailingSlash(string host, string expected) =>
        Assert.Equal(expected, RestTransport.Resolve(new Uri(host), "/markets", "limit=5").ToString());

    private static readonly ApiCredentials s_api = new("5d1f0c4e-1111-2222-3333-444455556666", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=", "pass");

    private static ClobClient Client(FakeVenue venue, ClobCredentials? credentials = null, int maxResponseBytes = 32 << 20) => new(
        new ClobClientOptions { Host = new Uri("http://127.0.0.1:9/"), MaxRetries = 0, MaxResponseBytes = maxResponseBytes },
        credentials,
        new HttpClient(venue));

    private static HttpResponseMessage Redirect(string location, HttpStatusCode status = HttpStatusCode.Found) =>
        new(status) { Headers = { Location = new Uri(location, UriKind.RelativeOrAbsolute) } };

    [Fact]
    public async Task Send_AnswerLargerThanMaxResponseBytes_FailsTheCall()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json(new string('1', 5_000)));
        using var client = Client(venue, maxResponseBytes: 4_096);

        var error = await Assert.ThrowsAsync<ClobApiException>(() => client.GetServerTimeAsync(TestContext.Current.CancellationToken));

        Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_AnswerWithinMaxResponseBytes_IsRead()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json("1700000000"));
        using var client = Client(venue, maxResponseBytes: 4_096);

        Assert.Equal(1_700_000_000, await client.GetServerTimeAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Send_RedirectOnTheSameHost_IsFollowed()
    {
        using var venue = new FakeVenue(r => r.Path == "/time" ? Redirect("/v2/time") : FakeVenue.Json("1700000000"));
        using var client = Client(venue);

        Assert.Equal(1_700_000_000, await client.GetServerTimeAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["/time", "/v2/time"], venue.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData("http://attacker.example:9/auth/api-keys")]
    [InlineData("http://127.0.0.1:10/auth/api-keys")]
    [InlineData("https://127.0.0.1:9/auth/api-keys")]
    public async Task Send_RedirectWithPolyHeadersToAnotherHost_IsNotFollowed(string location)
    {
        using var venue = new FakeVenue(r => r.Path == "/auth/api-keys" && r.Headers.ContainsKey("POLY_API_KEY") ? Redirect(location, HttpStatusCode.TemporaryRedirect) : FakeVenue.Json("""{"apiKeys":[]}"""));
        using var client = Client(venue, new ClobCredentials { Api = s_api, Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266" });

        var error = await Assert.ThrowsAsync<ClobApiException>(() => client.GetApiKeysAsync(TestContext.Current.CancellationToken));

        Assert.Contains("not sent to another host", error.Message, StringComparison.Ordinal);
        Assert.Single(venue.Requests);
    }

    [Fact]
    public void CreateHandler_LeavesRedirectsToTheTransport()
    {
        using var handler = RestTransport.CreateHandler();

        // The handler's own redirects keep custom headers such as POLY_API_KEY on a new host.
        Assert.False(handler.AllowAutoRedirect);
        Assert.Equal(DecompressionMethods.All, handler.AutomaticDecompression);
    }
}
