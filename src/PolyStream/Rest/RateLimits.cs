
namespace PolyStream.Rest;

/// <summary>
/// The venue's published REST limits (POLYMARKET.md §4): a bucket per endpoint family, plus a
/// general bucket every call also draws from.
/// </summary>
internal sealed class RateLimits
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(10);

    private readonly TokenBucket _general;
    private readonly Dictionary<string, TokenBucket> _byPath;

    private RateLimits(TimeProvider time, int general, IEnumerable<(string[] Paths, int PerWindow)> families)
    {
        _general = new TokenBucket(general, s_window, time);
        _byPath = new Dictionary<string, TokenBucket>(StringComparer.Ordinal);
        foreach (var (paths, perWindow) in families)
        {
            // Paths listed together share one bucket, as the venue counts them together.
            var bucket = new TokenBucket(perWindow, s_window, time);
            foreach (var path in paths)
            {
                _byPath[path] = bucket;
            }
        }
    }

    /// <summary>The CLOB's limits per 10 s.</summary>
    public static RateLimits Clob(TimeProvider time) => new(time, 9_000,
    [
        (["/book"], 1_500),
        (["/price"], 1_500),
        (["/midpoint"], 1_500),
        (["/books"], 500),
        (["/prices"], 500),
        (["/midpoints"], 500),
        (["/tick-size"], 200),
        (["/auth/api-key", "/auth/api-keys", "/auth/derive-api-key"], 100),
    ]);

    /// <summary>Gamma's limits per 10 s.</summary>
    public static RateLimits Gamma(TimeProvider time) => new(time, 4_000,
    [
        (["/markets"], 300),
        (["/events"], 500),
    ]);

    public async ValueTask AcquireAsync(string path, CancellationToken cancellationToken)
    {
        if (_byPath.TryGetValue(FamilyOf(path), out var bucket))
        {
            await bucket.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }

        await _general.AcquireAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gamma's <c>/markets/slug/x</c> counts as <c>/markets</c>; CLOB paths are matched whole.</summary>
    private string FamilyOf(string path)
    {
        if (_byPath.ContainsKey(path))
        {
            return path;
        }

        var second = path.IndexOf('/', 1);
        return second > 0 ? path[..second] : path;
    }
}
