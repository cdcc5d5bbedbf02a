using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PolyStream.Auth;
using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>
/// The venue's CLOB REST API: books, prices, markets and API keys. Paces itself to the published
/// per-endpoint limits, retries 429, 5xx and unanswered calls with backoff (honouring
/// <c>Retry-After</c>), and reports failures as <see cref="ClobApiException"/>. Thread-safe.
/// </summary>
internal sealed partial class ClobClient : IDisposable
{
    private readonly ClobClientOptions _options;
    private readonly RestTransport _transport;

    /// <summary>Creates a client.</summary>
    /// <param name="options">Host, timeouts, retries and clock; defaults to the production host.</param>
    /// <param name="credentials">Keys for authenticated endpoints, or <see langword="null"/> for public data only.</param>
    /// <param name="httpClient">An HTTP client to use (not disposed with this one), or <see langword="null"/> to own one.</param>
    public ClobClient(ClobClientOptions? options = null, ClobCredentials? credentials = null, HttpClient? httpClient = null)
    {
        _options = options ?? new ClobClientOptions();
        Credentials = credentials;
        _transport = new RestTransport(_options.Host, _options, RateLimits.Clob(_options.TimeProvider), httpClient);
    }

    /// <summary>Creates a client that signs with stored credentials (the stored private key too, if any).</summary>
    /// <param name="stored">The credentials, as <see cref="CredentialStore.Load"/> returned them.</param>
    /// <param name="options">Client options; the host defaults to the one the key was issued by.</param>
    /// <param name="httpClient">An HTTP client to use, or <see langword="null"/>.</param>
    public static ClobClient FromStored(StoredCredentials stored, ClobClientOptions? options = null, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        options ??= stored.Host is { } host ? new ClobClientOptions { Host = new Uri(host) } : new ClobClientOptions();
        var credentials = new ClobCredentials
        {
            Address = stored.Address,
            Api = stored.Api,
            Signer = stored.PrivateKey is null ? null : Secp256k1Key.FromHex(stored.PrivateKey),
        };
        return new ClobClient(options, credentials, httpClient);
    }

    /// <summary>The credentials authenticated calls use, if any.</summary>
    public ClobCredentials? Credentials { get; }

    /// <summary>Whether the host answers <c>GET /</c>.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(HttpMethod.Get, "/", null, null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ClobApiException)
        {
            return false;
        }
    }

    /// <summary>The venue's clock in Unix seconds (<c>GET /time</c>); sign with it to avoid clock skew.</summary>
    public async Task<long> GetServerTimeAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/time", null, null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return long.TryParse(Encoding.UTF8.GetString(body).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw RestBodies.Malformed("GET /time", "a bare integer");
    }

    /// <summary>One token's order-book summary (<c>GET /book</c>), with <c>min_order_size</c> and <c>neg_risk</c>.</summary>
    public async Task<BookEvent> GetBookAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/book", TokenQuery(tokenId), null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return RestBodies.Books(body, "GET /book") is [var book] ? book : throw RestBodies.Malformed("GET /book", "one book summary");
    }

    /// <summary>Several tokens' summaries in one call (<c>POST /books</c>), in the venue's order.</summary>
    public async Task<IReadOnlyList<BookEvent>> GetBooksAsync(IEnumerable<string> tokenIds, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Post, "/books", null, TokenArray(tokenIds, side: null), RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return RestBodies.Books(body, "POST /books");
    }

    /// <summary>The price one side would trade at (<c>GET /price</c>): <see cref="Side.Buy"/> is the best bid, <see cref="Side.Sell"/> the best ask.</summary>
    public async Task<ExactDecimal> GetPriceAsync(string tokenId, Side side, CancellationToken cancellationToken = default)
    {
        var query = $"{TokenQuery(tokenId)}&side={SideText(side)}";
        return await GetFieldAsync("/price", query, "price", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Prices for several token sides in one call (<c>POST /prices</c>).</summary>
    public async Task<IReadOnlyDictionary<string, TokenPrices>> GetPricesAsync(IEnumerable<(string TokenId, Side Side)> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var body = await SendAsync(HttpMethod.Post, "/prices", null, TokenSideArray(requests), RequestAuth.None, cancellationToken).ConfigureAwait(false);
        var prices = RestBodies.Deserialize(body, RestJsonContext.Default.DictionaryStringDictionaryStringExactDecimal, "POST /prices");
        return prices.ToDictionary(
            p => p.Key,
            p => new TokenPrices(p.Value.TryGetValue("BUY", out var buy) ? buy : null, p.Value.TryGetValue("SELL", out var sell) ? sell : null),
            StringComparer.Ordinal);
    }

    /// <summary>The midpoint of a token's best bid and ask (<c>GET /midpoint</c>).</summary>
    public Task<ExactDecimal> GetMidpointAsync(string tokenId, CancellationToken cancellationToken = default) =>
        GetFieldAsync("/midpoint", TokenQuery(tokenId), "mid", cancellationToken);

    /// <summary>Midpoints for several tokens (<c>POST /midpoints</c>).</summary>
    public Task<IReadOnlyDictionary<string, ExactDecimal>> GetMidpointsAsync(IEnumerable<string> tokenIds, CancellationToken cancellationToken = default) =>
        GetPerTokenAsync("/midpoints", tokenIds, cancellationToken);

    /// <summary>A token's spread (<c>GET /spread</c>).</summary>
    public Task<ExactDecimal> GetSpreadAsync(string tokenId, CancellationToken cancellationToken = default) =>
        GetFieldAsync("/spread", TokenQuery(tokenId), "spread", cancellationToken);

    /// <summary>Spreads for several tokens (<c>POST /spreads</c>).</summary>
    public Task<IReadOnlyDictionary<string, ExactDecimal>> GetSpreadsAsync(IEnumerable<string> tokenIds, CancellationToken cancellationToken = default) =>
        GetPerTokenAsync("/spreads", tokenIds, cancellationToken);

    /// <summary>A token's last trade (<c>GET /last-trade-price</c>).</summary>
    public async Task<LastTrade> GetLastTradePriceAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/last-trade-price", TokenQuery(tokenId), null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return ToLastTrade(tokenId, RestBodies.Deserialize(body, RestJsonContext.Default.LastTradeBody, "GET /last-trade-price"));
    }

    /// <summary>Last trades for several tokens (<c>POST /last-trades-prices</c>).</summary>
    public async Task<IReadOnlyList<LastTrade>> GetLastTradesPricesAsync(IEnumerable<string> tokenIds, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Post, "/last-trades-prices", null, TokenArray(tokenIds, side: null), RequestAuth.None, cancellationToken).ConfigureAwait(false);
        var trades = RestBodies.Deserialize(body, RestJsonContext.Default.ImmutableArrayLastTradeBody, "POST /last-trades-prices");
        return [.. trades.Select(t => ToLastTrade(t.TokenId ?? string.Empty, t))];
    }

    /// <summary>A token's minimum tick (<c>GET /tick-size</c>, sent as a JSON number).</summary>
    public Task<ExactDecimal> GetTickSizeAsync(string tokenId, CancellationToken cancellationToken = default) =>
        GetFieldAsync("/tick-size", TokenQuery(tokenId), "minimum_tick_size", cancellationToken);

    /// <summary>Whether a token's market is neg-risk (<c>GET /neg-risk</c>).</summary>
    public async Task<bool> GetNegRiskAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/neg-risk", TokenQuery(tokenId), null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, RestJsonContext.Default.DictionaryStringBoolean, "GET /neg-risk").TryGetValue("neg_risk", out var negRisk)
            ? negRisk
            : throw RestBodies.Malformed("GET /neg-risk", "a neg_risk field");
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    private async Task<ExactDecimal> GetFieldAsync(string path, string query, string field, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, path, query, null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, RestJsonContext.Default.DictionaryStringExactDecimal, $"GET {path}").TryGetValue(field, out var value)
            ? value
            : throw RestBodies.Malformed($"GET {path}", $"a {field} field");
    }

    private async Task<IReadOnlyDictionary<string, ExactDecimal>> GetPerTokenAsync(string path, IEnumerable<string> tokenIds, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Post, path, null, TokenArray(tokenIds, side: null), RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, RestJsonContext.Default.DictionaryStringExactDecimal, $"POST {path}");
    }

    private static LastTrade ToLastTrade(string tokenId, LastTradeBody body) => new(
        tokenId,
        string.IsNullOrEmpty(body.Price) ? null : ExactDecimal.Parse(body.Price),
        body.Side switch { "BUY" => Side.Buy, "SELL" => Side.Sell, _ => null });

    private static string TokenQuery(string tokenId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        return "token_id=" + Uri.EscapeDataString(tokenId);
    }

    private static string SideText(Side side) => side == Side.Buy ? "BUY" : "SELL";

    private static string TokenArray(IEnumerable<string> tokenIds, Side? side)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        return TokenSideArray(tokenIds.Select(id => (id, side)));
    }

    private static string TokenSideArray(IEnumerable<(string TokenId, Side Side)> requests) =>
        TokenSideArray(requests.Select(r => (r.TokenId, (Side?)r.Side)));

    /// <summary>Writes <c>[{"token_id":"…","side":"…"},…]</c> compactly, once: the same text is signed and sent.</summary>
    private static string TokenSideArray(IEnumerable<(string TokenId, Side? Side)> requests)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (tokenId, side) in requests)
            {
                writer.WriteStartObject();
                writer.WriteString("token_id"u8, tokenId);
                if (side is { } s)
                {
                    writer.WriteString("side"u8, SideText(s));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private Task<byte[]> SendAsync(HttpMethod method, string path, string? query, string? body, RequestAuth auth, CancellationToken cancellationToken) =>
        _transport.SendAsync(method, path, () => CreateRequest(method, path, query, body, auth), cancellationToken);

    private HttpRequestMessage CreateRequest(HttpMethod method, string path, string? query, string? body, RequestAuth auth)
    {
        var uri = RestTransport.Resolve(_options.Host, path, query);
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        AddAuthHeaders(request, method, path, body, auth);
        return request;
    }
}
