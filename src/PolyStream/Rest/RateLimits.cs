namespace PolyStream.Rest;

/// <summary>
/// The venue's published REST limits (POLYMARKET.md §4): a bucket per endpoint family, plus the
/// general CLOB bucket every call also draws from.
/// </summary>
internal sealed class RateLimits
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(10);

    private readonly TokenBucket _general;
    private readonly Dictionary<string, TokenBucket> _byPath;

    public RateLimits(TimeProvider time)
    {
        _general = new TokenBucket(9_000, s_window, time);
        TokenBucket Bucket(int perWindow) => new(perWindow, s_window, time);
        var apiKeys = Bucket(100);
        _byPath = new Dictionary<string, TokenBucket>(StringComparer.Ordinal)
        {
            ["/book"] = Bucket(1_500),
            ["/price"] = Bucket(1_500),
            ["/midpoint"] = Bucket(1_500),
            ["/books"] = Bucket(500),
            ["/prices"] = Bucket(500),
            ["/midpoints"] = Bucket(500),
            ["/tick-size"] = Bucket(200),
            ["/auth/api-key"] = apiKeys,
            ["/auth/api-keys"] = apiKeys,
            ["/auth/derive-api-key"] = apiKeys,
        };
    }

    /// <summary>Tokens left in a path's own bucket (or the general one), for budget displays.</summary>
    public double Available(string path) => (_byPath.GetValueOrDefault(path) ?? _general).Available;

    public async ValueTask AcquireAsync(string path, CancellationToken cancellationToken)
    {
        if (_byPath.TryGetValue(path, out var bucket))
        {
            await bucket.AcquireAsync(cancellationToken).ConfigureAwait(false);
        }

        await _general.AcquireAsync(cancellationToken).ConfigureAwait(false);
    }
}
