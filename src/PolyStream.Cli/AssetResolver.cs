using PolyStream.Cli.Tui;
using PolyStream.Rest;

namespace PolyStream.Cli;

/// <summary>Turns <c>--asset</c> ids and <c>--market</c> slugs into the tokens to stream, with labels for the screens.</summary>
internal static class AssetResolver
{
    public static async Task<List<WatchedAsset>> ResolveAsync(IReadOnlyList<string> assets, IReadOnlyList<string> slugs, Uri gammaHost, bool allowInsecure, CancellationToken cancellationToken)
    {
        var watched = assets.Select(a => new WatchedAsset(a, Short(a))).ToList();
        if (slugs.Count == 0)
        {
            return watched;
        }

        using var gamma = new GammaClient(new GammaClientOptions { Host = gammaHost, Transport = new ClobClientOptions { AllowInsecureTransport = allowInsecure } });
        foreach (var slug in slugs)
        {
            var market = await gamma.GetMarketBySlugAsync(slug, cancellationToken).ConfigureAwait(false);
            watched.AddRange(market.ClobTokenIds.Select((id, i) => new WatchedAsset(id, TerminalText.Clean($"{slug} · {(i < market.Outcomes.Length ? market.Outcomes[i] : Short(id))}"))));
        }

        return watched;
    }

    /// <summary>Resolves the <c>--asset</c>/<c>--market</c> options of a watching verb.</summary>
    public static Task<List<WatchedAsset>> ResolveAsync(System.CommandLine.ParseResult result, System.CommandLine.Option<string[]> assets, System.CommandLine.Option<string[]> markets, System.CommandLine.Option<Uri> gammaHost, CancellationToken cancellationToken) =>
        ResolveAsync(result.GetValue(assets) ?? [], result.GetValue(markets) ?? [], result.GetRequiredValue(gammaHost), result.GetValue(CommonOptions.Insecure), cancellationToken);

    /// <summary>A 78-digit token id as its first and last <paramref name="keep"/> characters around an ellipsis; short ids unchanged.</summary>
    public static string Short(string id, int keep = 5) =>
        id.Length <= (2 * keep) + 2 ? id : string.Concat(id.AsSpan(0, keep), "…", id.AsSpan(id.Length - keep));
}
