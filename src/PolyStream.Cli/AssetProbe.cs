using System.Net;
using PolyStream.Cli.Tui;
using PolyStream.Rest;

namespace PolyStream.Cli;

/// <summary>
/// Asks the CLOB for each token's book before streaming: the venue silently ignores a subscription to a
/// token it does not know (a typo, a resolved market), so each such token is named instead of streamed.
/// </summary>
internal static class AssetProbe
{
    /// <summary>The tokens the host has a book for; unknown ones are named through <paramref name="warn"/>. A host that cannot be reached leaves the list as it is: the connection report says why.</summary>
    public static async Task<List<WatchedAsset>> KnownAsync(IReadOnlyList<WatchedAsset> watched, Uri host, bool allowInsecure, Action<string> warn, CancellationToken cancellationToken)
    {
        using var client = new ClobClient(new ClobClientOptions { Host = host, AllowInsecureTransport = allowInsecure });
        var known = new List<WatchedAsset>(watched.Count);
        for (var i = 0; i < watched.Count; i++)
        {
            var asset = watched[i];
            try
            {
                await client.GetBookAsync(asset.AssetId, cancellationToken).ConfigureAwait(false);
                known.Add(asset);
            }
            catch (ClobApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound)
            {
                warn($"no order book for token {asset.AssetId} at {host}: unknown, or its market is resolved; left out.");
            }
            catch (ClobApiException)
            {
                // Unreachable or refusing: no verdict on any token; the connection report says what is wrong.
                known.AddRange(watched.Skip(i));
                break;
            }
        }

        return known;
    }
}
