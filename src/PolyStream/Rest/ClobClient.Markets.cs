using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace PolyStream.Rest;

internal sealed partial class ClobClient
{
    /// <summary>Every market (<c>GET /markets</c>), page after page until the end cursor.</summary>
    public IAsyncEnumerable<ClobMarket> GetMarketsAsync(CancellationToken cancellationToken = default) =>
        PagesAsync("/markets", RestJsonContext.Default.MarketsPageClobMarket, cancellationToken);

    /// <summary>Every market in the short form (<c>GET /simplified-markets</c>), every page.</summary>
    public IAsyncEnumerable<SimplifiedMarket> GetSimplifiedMarketsAsync(CancellationToken cancellationToken = default) =>
        PagesAsync("/simplified-markets", RestJsonContext.Default.MarketsPageSimplifiedMarket, cancellationToken);

    /// <summary>One market by condition id (<c>GET /markets/{condition_id}</c>).</summary>
    public async Task<ClobMarket> GetMarketAsync(string conditionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(conditionId);
        var path = "/markets/" + Uri.EscapeDataString(conditionId);
        var body = await SendAsync(HttpMethod.Get, path, null, null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, RestJsonContext.Default.ClobMarket, "GET /markets/{condition_id}");
    }

    private async IAsyncEnumerable<T> PagesAsync<T>(string path, JsonTypeInfo<MarketsPage<T>> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var cursor = MarketsPage<T>.FirstCursor;
        while (true)
        {
            var page = await GetPageAsync(path, cursor, type, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Data)
            {
                yield return item;
            }

            // A cursor seen before would loop forever; the venue never repeats one.
            if (page.IsLast || !seen.Add(page.NextCursor))
            {
                yield break;
            }

            cursor = page.NextCursor;
        }
    }

    private async Task<MarketsPage<T>> GetPageAsync<T>(string path, string cursor, JsonTypeInfo<MarketsPage<T>> type, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, path, "next_cursor=" + Uri.EscapeDataString(cursor), null, RequestAuth.None, cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, type, $"GET {path}");
    }
}
