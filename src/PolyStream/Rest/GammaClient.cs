using System.Globalization;
using System.Net;
using System.Text.Json.Serialization.Metadata;

namespace PolyStream.Rest;

/// <summary>Gamma, the venue's metadata API: find markets and events by slug or text, with their CLOB token ids. Thread-safe.</summary>
/// <remarks>A call that still fails after its retries, or answers a body that cannot be read, throws <see cref="ClobApiException"/>.</remarks>
public sealed class GammaClient : IDisposable
{
    private readonly GammaClientOptions _options;
    private readonly RestTransport _transport;

    /// <summary>Creates a client.</summary>
    /// <param name="options">The host and paging; defaults to the production host.</param>
    /// <param name="httpClient">An HTTP client to use (not disposed with this one), or <see langword="null"/> to own one.</param>
    public GammaClient(GammaClientOptions? options = null, HttpClient? httpClient = null)
    {
        _options = options ?? new GammaClientOptions();
        _transport = new RestTransport(_options.Host, _options.Transport, RateLimits.Gamma(_options.Transport.TimeProvider), httpClient);
    }

    /// <summary>One market by slug (<c>GET /markets/slug/{slug}</c>).</summary>
    public Task<GammaMarket> GetMarketBySlugAsync(string slug, CancellationToken cancellationToken = default) =>
        GetAsync("/markets/slug/" + Escape(slug), null, RestJsonContext.Default.GammaMarket, cancellationToken);

    /// <summary>One event and its markets by slug (<c>GET /events/slug/{slug}</c>).</summary>
    internal Task<GammaEvent> GetEventBySlugAsync(string slug, CancellationToken cancellationToken = default) =>
        GetAsync("/events/slug/" + Escape(slug), null, RestJsonContext.Default.GammaEvent, cancellationToken);

    /// <summary>One page of open markets (<c>GET /markets?active=true&amp;closed=false</c>), from <paramref name="offset"/>.</summary>
    public Task<GammaMarket[]> GetOpenMarketsAsync(int offset, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var query = string.Create(CultureInfo.InvariantCulture, $"active=true&closed=false&limit={_options.PageSize}&offset={offset}");
        return GetAsync("/markets", query, RestJsonContext.Default.GammaMarketArray, cancellationToken);
    }

    /// <summary>
    /// One page of open markets in listing order with their tags (<c>GET /markets?active=true&amp;closed=false&amp;include_tag=true&amp;order=id</c>),
    /// <paramref name="limit"/> from <paramref name="offset"/>: universe mode's discovery.
    /// </summary>
    internal Task<GammaMarket[]> GetListedMarketsAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var query = string.Create(CultureInfo.InvariantCulture, $"active=true&closed=false&include_tag=true&order=id&ascending=true&limit={limit}&offset={offset}");
        return GetAsync("/markets", query, RestJsonContext.Default.GammaMarketArray, cancellationToken);
    }

    /// <summary>
    /// Open markets whose question or slug contains <paramref name="text"/> (case-insensitive), read
    /// page by page up to <paramref name="maxPages"/>; <paramref name="pagesRead"/> reports progress.
    /// </summary>
    public async Task<IReadOnlyList<GammaMarket>> SearchMarketsAsync(string text, IProgress<int>? pagesRead = null, int maxPages = 40, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var found = new List<GammaMarket>();
        for (var page = 0; page < maxPages; page++)
        {
            var markets = await GetOpenMarketsAsync(page * _options.PageSize, cancellationToken).ConfigureAwait(false);
            found.AddRange(markets.Where(m => Matches(m, text)));
            pagesRead?.Report(page + 1);
            if (markets.Length < _options.PageSize)
            {
                break;
            }
        }

        return found;
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    private static bool Matches(GammaMarket market, string text) =>
        market.Question.Contains(text, StringComparison.OrdinalIgnoreCase) || market.Slug.Contains(text, StringComparison.OrdinalIgnoreCase);

    private static string Escape(string slug)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        return Uri.EscapeDataString(slug);
    }

    private async Task<T> GetAsync<T>(string path, string? query, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var uri = RestTransport.Resolve(_options.Host, path, query);
        var body = await _transport.SendAsync(HttpMethod.Get, path, () => new HttpRequestMessage(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
        try
        {
            return RestBodies.Deserialize(body, type, $"GET {path}");
        }
        catch (ClobApiException ex) when (ex.StatusCode == HttpStatusCode.OK)
        {
            // A 200 in another shape is most often the wrong host: the CLOB answers GET /markets too.
            throw new ClobApiException(ex.Endpoint, ex.StatusCode, $"{ex.VenueMessage}; is {_options.Host} a Gamma API?", ex.InnerException);
        }
    }
}
