using System.Net;
using Microsoft.Extensions.Time.Testing;
using PolyStream.Auth;
using PolyStream.Books;
using PolyStream.Protocol;
using PolyStream.Rest;

namespace PolyStream.Tests.Rest;

public sealed class ClobClientTests
{
    private static readonly ApiCredentials s_api = new("5d1f0c4e-1111-2222-3333-444455556666", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "pass-phrase-0123456789abcdef");

    private static ClobClient Client(FakeVenue venue, TimeProvider? time = null, ClobCredentials? credentials = null, int retries = 3) => new(
        new ClobClientOptions
        {
            Host = new Uri("http://127.0.0.1:9/"),
            TimeProvider = time ?? TimeProvider.System,
            MaxRetries = retries,
            RetryBaseDelay = TimeSpan.Zero,
        },
        credentials,
        new HttpClient(venue));

    [Fact]
    public async Task GetBookAsync_RealRestSummary_ParsesAndItsHashVerifies()
    {
        var rest = File.ReadLines(Fixture.PathOf("vectors/raw/polypy_messages_hash_2025-10.txt")).First(l => l.StartsWith("{\"market\"", StringComparison.Ordinal));
        using var venue = new FakeVenue(_ => FakeVenue.Json(rest));
        using var client = Client(venue);

        var book = await client.GetBookAsync("94022367472047775158269173293876979533288470167463650966689320774843018181757", TestContext.Current.CancellationToken);

        Assert.Equal("5", book.MinOrderSize.ToString());
        Assert.False(book.NegRisk);
        var local = new OrderBook(book.AssetId);
        Assert.Equal(HashOutcome.Matched, local.ReplaceWithSnapshot(book, BookHashVersion.V9).Outcome);
        Assert.Equal("/book", venue.Requests[0].Path);
        Assert.Equal("?token_id=94022367472047775158269173293876979533288470167463650966689320774843018181757", venue.Requests[0].Query);
        Assert.StartsWith("PolyStream/", venue.Requests[0].Headers["User-Agent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBooksAsync_SendsCompactTokenArray()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json("""[{"market":"0x1","asset_id":"1","timestamp":"5","hash":"","bids":[],"asks":[{"price":"0.6","size":"3"}],"min_order_size":"5","tick_size":"0.01","neg_risk":false,"last_trade_price":""}]"""));
        using var client = Client(venue);

        var books = await client.GetBooksAsync(["1", "2"], TestContext.Current.CancellationToken);

        Assert.Equal("""[{"token_id":"1"},{"token_id":"2"}]""", venue.Requests[0].Body);
        Assert.Equal("0.6", Assert.Single(books).Asks[0].Price.ToString());
    }

    [Fact]
    public async Task ScalarEndpoints_ReadTheVenueShapes()
    {
        using var venue = new FakeVenue(r => r.Path switch
        {
            "/price" => FakeVenue.Json("""{"price":"0.42"}"""),
            "/midpoint" => FakeVenue.Json("""{"mid":"0.425"}"""),
            "/spread" => FakeVenue.Json("""{"spread":"0.01"}"""),
            "/tick-size" => FakeVenue.Json("""{"minimum_tick_size":0.001}"""),
            "/neg-risk" => FakeVenue.Json("""{"neg_risk":true}"""),
            "/time" => FakeVenue.Json("1764612536"),
            "/last-trade-price" => FakeVenue.Json("""{"price":"0.43","side":""}"""),
            "/prices" => FakeVenue.Json("""{"1":{"BUY":"0.52","SELL":"0.53"}}"""),
            _ => FakeVenue.Json("""{"error":"not found"}""", HttpStatusCode.NotFound),
        });
        using var client = Client(venue);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal("0.42", (await client.GetPriceAsync("1", Side.Buy, ct)).ToString());
        Assert.Equal("?token_id=1&side=BUY", venue.Requests[^1].Query);
        Assert.Equal("0.425", (await client.GetMidpointAsync("1", ct)).ToString());
        Assert.Equal("0.01", (await client.GetSpreadAsync("1", ct)).ToString());
        Assert.Equal("0.001", (await client.GetTickSizeAsync("1", ct)).ToString());
        Assert.True(await client.GetNegRiskAsync("1", ct));
        Assert.Equal(1764612536, await client.GetServerTimeAsync(ct));
        var last = await client.GetLastTradePriceAsync("1", ct);
        Assert.Equal("0.43", last.Price.ToString());
        Assert.Null(last.Side);
        var prices = await client.GetPricesAsync([("1", Side.Buy), ("1", Side.Sell)], ct);
        Assert.Equal("""[{"token_id":"1","side":"BUY"},{"token_id":"1","side":"SELL"}]""", venue.Requests[^1].Body);
        Assert.Equal("0.53", prices["1"].Sell.ToString());
    }

    [Fact]
    public async Task GetBookAsync_NotFound_ThrowsTypedErrorWithTheVenueMessageAndDoesNotRetry()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json("""{"error":"No orderbook exists for the requested token id"}""", HttpStatusCode.NotFound));
        using var client = Client(venue);

        var error = await Assert.ThrowsAsync<ClobApiException>(() => client.GetBookAsync("404", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("No orderbook exists for the requested token id", error.VenueMessage);
        Assert.Equal("GET /book", error.Endpoint);
        Assert.Single(venue.Requests);
    }

    [Fact]
    public async Task Send_ServerErrorThenSuccess_Retries()
    {
        var calls = 0;
        using var venue = new FakeVenue(_ => ++calls < 3 ? FakeVenue.Json("oops", HttpStatusCode.BadGateway) : FakeVenue.Json("""{"mid":"0.5"}"""));
        using var client = Client(venue);

        Assert.Equal("0.5", (await client.GetMidpointAsync("1", TestContext.Current.CancellationToken)).ToString());
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Send_TooManyRequests_WaitsForRetryAfterOnTheClock()
    {
        var time = new TimerAwareTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var first = true;
        using var venue = new FakeVenue(_ =>
        {
            if (!first)
            {
                return FakeVenue.Json("""{"mid":"0.5"}""");
            }

            first = false;
            var limited = FakeVenue.Json("""{"error":"rate limited"}""", HttpStatusCode.TooManyRequests);
            limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            return limited;
        });
        using var client = Client(venue, time);

        var call = client.GetMidpointAsync("1", TestContext.Current.CancellationToken);
        await venue.NextRequestAsync();
        await time.WaitForPendingTimersAsync(); // the Retry-After wait, counted from now
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Single(venue.Requests);
        time.Advance(TimeSpan.FromSeconds(0.2));
        await venue.NextRequestAsync();

        Assert.Equal("0.5", (await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ToString());
    }

    [Fact]
    public async Task Send_HostNeverAnswers_ThrowsUnreachableAfterRetries()
    {
        using var venue = new FakeVenue(_ => throw new HttpRequestException("connection refused"));
        using var client = Client(venue, retries: 2);

        var error = await Assert.ThrowsAsync<ClobApiException>(() => client.GetMidpointAsync("1", TestContext.Current.CancellationToken));

        Assert.Null(error.StatusCode);
        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, venue.Requests.Count);
    }

    [Fact]
    public async Task Send_BodyIsNotJson_ThrowsTypedError()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json("<html>error code: 1010</html>"));
        using var client = Client(venue);

        var error = await Assert.ThrowsAsync<ClobApiException>(() => client.GetMidpointAsync("1", TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
    }

    [Fact]
    public async Task GetApiKeysAsync_SignsL2HeadersOverTheExactRequest()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        using var venue = new FakeVenue(_ => FakeVenue.Json("""{"apiKeys":["5d1f0c4e-1111-2222-3333-444455556666"]}"""));
        using var client = Client(venue, time, new ClobCredentials { Api = s_api, Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266" });

        var keys = await client.GetApiKeysAsync(TestContext.Current.CancellationToken);

        var headers = venue.Requests[0].Headers;
        Assert.Equal([s_api.ApiKey], keys);
        Assert.Equal("1700000000", headers["POLY_TIMESTAMP"]);
        Assert.Equal(L2Signature.Sign(s_api.Secret, "1700000000", "GET", "/auth/api-keys", null), headers["POLY_SIGNATURE"]);
        Assert.Equal(s_api.ApiKey, headers["POLY_API_KEY"]);
        Assert.Equal(s_api.Passphrase, headers["POLY_PASSPHRASE"]);
        Assert.Equal("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", headers["POLY_ADDRESS"]);
    }

    [Fact]
    public async Task CreateOrDeriveApiKeyAsync_CreateRefused_DerivesWithL1Headers()
    {
        var key = Secp256k1Key.FromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(10_000_000));
        using var venue = new FakeVenue(r => r.Method == "POST"
            ? FakeVenue.Json("""{"error":"Could not create api key"}""", HttpStatusCode.BadRequest)
            : FakeVenue.Json("""{"apiKey":"k","secret":"s","passphrase":"p"}"""));
        using var client = new ClobClient(
            new ClobClientOptions { Host = new Uri("http://127.0.0.1:9/"), TimeProvider = time, ChainId = ClobAuth.AmoyChainId },
            new ClobCredentials { Signer = key },
            new HttpClient(venue));

        var credentials = await client.CreateOrDeriveApiKeyAsync(23, TestContext.Current.CancellationToken);

        Assert.Equal(new ApiCredentials("k", "s", "p"), credentials);
        Assert.Equal(["POST", "GET"], venue.Requests.Select(r => r.Method));
        var headers = venue.Requests[1].Headers;
        Assert.Equal("/auth/derive-api-key", venue.Requests[1].Path);
        Assert.Equal("23", headers["POLY_NONCE"]);
        Assert.Equal(key.Address, headers["POLY_ADDRESS"]);

        // The official SDK vector: same key, timestamp, nonce and chain.
        Assert.Equal("0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25ae232aff0ab2331e2b164a1aedc1b", headers["POLY_SIGNATURE"]);
    }

    [Fact]
    public async Task AuthenticatedCall_WithoutCredentials_SaysWhatIsMissing()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json("{}"));
        using var client = Client(venue);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetApiKeysAsync(TestContext.Current.CancellationToken));

        Assert.Contains("polystream auth init", error.Message, StringComparison.Ordinal);
        Assert.Empty(venue.Requests);
    }

    [Fact]
    public async Task UnauthorizedCall_ErrorAndCredentialsNeverShowTheSecrets()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json("""{"error":"Unauthorized/Invalid api key"}""", HttpStatusCode.Unauthorized));
        var credentials = new ClobCredentials { Api = s_api, Address = "0xabc" };
        using var client = Client(venue, credentials: credentials);

        var error = await Assert.ThrowsAsync<ClobApiException>(() => client.GetApiKeysAsync(TestContext.Current.CancellationToken));

        foreach (var text in new[] { error.ToString(), credentials.ToString(), s_api.ToString() })
        {
            Assert.DoesNotContain(s_api.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(s_api.Passphrase, text, StringComparison.Ordinal);
        }

        Assert.Contains("polystream auth check", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMarketsAsync_FollowsCursorsToTheEnd()
    {
        var sample = File.ReadAllText(Fixture.PathOf("vectors/samples/nautilus_rest_markets_page_trimmed_to_2.json"));
        using var venue = new FakeVenue(r => r.Query switch
        {
            "?next_cursor=MA%3D%3D" => FakeVenue.Json(sample),
            _ => FakeVenue.Json("""{"limit":100,"count":0,"next_cursor":"LTE=","data":[]}"""),
        });
        using var client = Client(venue);

        var markets = new List<ClobMarket>();
        await foreach (var market in client.GetMarketsAsync(TestContext.Current.CancellationToken))
        {
            markets.Add(market);
        }

        Assert.Equal(2, markets.Count);
        Assert.Equal(["?next_cursor=MA%3D%3D", "?next_cursor=MTAw"], venue.Requests.Select(r => r.Query));
        Assert.Equal("0x12a0cb60174abc437bf1178367c72d11f069e1a3add20b148fb0ab4279b772b2", markets[0].ConditionId);
        Assert.Equal("0.001", markets[0].MinimumTickSize.ToString());
        Assert.Equal(2, markets[0].Tokens.Length);
    }

    [Fact]
    public async Task GetMarketsAsync_RepeatingCursor_StopsInsteadOfLooping()
    {
        using var venue = new FakeVenue(_ => FakeVenue.Json("""{"limit":1,"count":1,"next_cursor":"MQ==","data":[{"condition_id":"0x1"}]}"""));
        using var client = Client(venue);

        var count = 0;
        await foreach (var _ in client.GetMarketsAsync(TestContext.Current.CancellationToken))
        {
            count++;
        }

        Assert.Equal(2, count);
    }
}
