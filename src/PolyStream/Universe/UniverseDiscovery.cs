using Microsoft.Extensions.Logging;
using PolyStream.Rest;

namespace PolyStream.Universe;

/// <summary>
/// Finds every open market by paging Gamma's <c>/markets</c> (active, not closed, in listing order) under Gamma's
/// rate limits. Consecutive pages overlap, so a market that resolves between two pages (shifting the later ones
/// back) does not make the next page skip one.
/// </summary>
internal sealed class UniverseDiscovery
{
    /// <summary>Markets per page: Gamma's largest.</summary>
    public const int PageSize = 500;

    /// <summary>Markets each page re-reads of the one before: more resolutions than this between two page reads would still skip a market (a re-discovery catches it).</summary>
    public const int Overlap = 25;

    private readonly GammaClient _gamma;
    private readonly ILogger _logger;

    public UniverseDiscovery(GammaClient gamma, ILogger logger)
    {
        _gamma = gamma;
        _logger = logger;
    }

    /// <summary>Every open market Gamma lists, once each (by condition id); unchecked: the catalog keeps only the followable ones.</summary>
    /// <exception cref="ClobApiException">Gamma failed after its retries, or answered what cannot be read.</exception>
    public async Task<IReadOnlyList<GammaMarket>> DiscoverAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, GammaMarket>(StringComparer.Ordinal);
        var pages = 0;
        for (var offset = 0; ; offset += PageSize - Overlap)
        {
            var page = await _gamma.GetListedMarketsAsync(offset, PageSize, cancellationToken).ConfigureAwait(false);
            pages++;
            foreach (var market in page)
            {
                found[market.ConditionId] = market;
            }

            if (page.Length < PageSize)
            {
                break;
            }
        }

        UniverseLog.Discovered(_logger, found.Count, pages);
        return [.. found.Values];
    }
}
