using System.CommandLine;
using PolyStream.Cli.Tui;
using PolyStream.Rest;

namespace PolyStream.Cli.Commands;

/// <summary>
/// What the verbs that watch live tokens (<c>stream</c>, <c>record</c>, <c>tui</c>) share: resolving
/// <c>--asset</c>/<c>--market</c> into tokens, the streamer configuration for them, and the venue refusing
/// a request (an unknown market, a rate limit) as one line and exit 1.
/// </summary>
internal static class WatchVerb
{
    /// <summary>Resolves the watched tokens and runs <paramref name="watch"/> with them and a streamer configuration for them.</summary>
    public static async Task<int> RunAsync(
        ParseResult result,
        string verb,
        Option<string[]> assets,
        Option<string[]> markets,
        Option<Uri> gammaHost,
        Func<IReadOnlyList<WatchedAsset>, StreamerConfig, Task<int>> watch,
        CancellationToken cancellationToken)
    {
        try
        {
            var watched = await AssetResolver.ResolveAsync(result, assets, markets, gammaHost, cancellationToken).ConfigureAwait(false);
            var config = new StreamerConfig { MarketAssets = [.. watched.Select(w => w.AssetId)], AllowInsecureTransport = result.GetValue(CommonOptions.Insecure) };
            return await watch(watched, config).ConfigureAwait(false);
        }
        catch (ClobApiException ex)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync($"polystream {verb}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
