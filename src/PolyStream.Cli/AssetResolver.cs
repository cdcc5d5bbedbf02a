using PolyStream.Cli.Tui;
using PolyStream.Rest;

namespace PolyStream.Cli;

/// <summary>Turns <c>--asset</c> ids and <c>--market</c> slugs into the tokens to stream, with labels for the screens.</summary>
internal static class AssetResolver
{
    /// <summary>The tokens of <paramref name="assets"/> and of every open market of <paramref name="slugs"/>; a resolved market is named through <paramref name="warn"/> and left out.</summary>
    public static async Task<List<WatchedAsset>> ResolveAsync(IReadOnlyList<string> assets, IReadOnlyList<string> slugs, Uri gammaHost, bool allowInsecure, Action<string> warn, CancellationToken cancellationToken)
    {
        var watched = assets.Select(a => new WatchedAsset(a, Short(a))).ToList();
        if (slugs.Count == 0)
        {
            return watched;
        }

        using var gamma = new GammaClient(new GammaClientOptions { Host = gammaHost, Transport = new ClobClientOptions { AllowInsecureTransport = allowInsecure } });
        foreach (var slug in slugs)
        {
            GammaMarket market;
            try
            {
                market = await gamma.GetMarketBySlugAsync(slug, cancellationToken).ConfigureAwait(false);
            }
            catch (ClobApiException ex)
            {
                // Name the Gamma host: the CLOB host may be fine, and --gamma-host is the option to fix.
                throw new ClobApiException($"market '{slug}' at Gamma {gammaHost}: {ex.Message}", ex);
            }

            if (market.Closed)
            {
                warn($"market '{slug}' is resolved (closed): its books no longer trade; left out.");
                continue;
            }

            watched.AddRange(Tokens(market));
        }

        return watched;
    }

    /// <summary>The tokens of <paramref name="market"/>, labelled <c>slug · outcome</c> (cleaned for the terminal).</summary>
    public static IEnumerable<WatchedAsset> Tokens(GammaMarket market) =>
        market.ClobTokenIds.Select((id, i) => new WatchedAsset(id, TerminalText.Clean($"{market.Slug} · {(i < market.Outcomes.Length ? market.Outcomes[i] : Short(id))}")));

    /// <summary>A 78-digit token id as its first and last <paramref name="keep"/> characters around an ellipsis; short ids unchanged.</summary>
    public static string Short(string id, int keep = 5) =>
        id.Length <= (2 * keep) + 2 ? id : string.Concat(id.AsSpan(0, keep), "…", id.AsSpan(id.Length - keep));
}
