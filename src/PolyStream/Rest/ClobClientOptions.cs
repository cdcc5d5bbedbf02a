
namespace PolyStream.Rest;

/// <summary>How <see cref="ClobClient"/> reaches the venue and paces itself.</summary>
internal sealed record ClobClientOptions
{
    /// <summary>The production CLOB REST host.</summary>
    public static Uri ProductionHost { get; } = new("https://clob.polymarket.com/");

    /// <summary>The REST host. Default <see cref="ProductionHost"/>.</summary>
    public Uri Host { get; init; } = ProductionHost;

    /// <summary>How long one attempt may take. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a 429, a 5xx or no answer. Default 3; 0 disables retrying.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first retry's backoff ceiling; each later one doubles it (full jitter). Default 250 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest single wait between retries, <c>Retry-After</c> included. Default 30 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether to pace requests to the venue's published per-endpoint limits. Default <see langword="true"/>.</summary>
    public bool EnforceRateLimits { get; init; } = true;

    /// <summary>The <c>User-Agent</c> sent; the venue's CDN rejects some library defaults. Default <c>PolyStream/{version}</c>.</summary>
    public string UserAgent { get; init; } = $"PolyStream/{typeof(ClobClientOptions).Assembly.GetName().Version?.ToString(3)} (+.NET)";

    /// <summary>The chain id L1 signatures commit to: 137 (Polygon) or 80002 (Amoy). Default 137.</summary>
    public long ChainId { get; init; } = PolyStream.Auth.ClobAuth.PolygonChainId;

    /// <summary>Whether plain <c>http</c> to a host other than this machine is allowed. Default <see langword="false"/>: such a host is refused.</summary>
    public bool AllowInsecureTransport { get; init; }

    /// <summary>The largest answer accepted, in bytes after decompression; a larger one fails the call. Default 32 MiB.</summary>
    public int MaxResponseBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>The clock for rate limits, backoff and signature timestamps. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
