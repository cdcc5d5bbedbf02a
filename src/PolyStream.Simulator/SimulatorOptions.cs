using System.Globalization;
using System.Text;
using PolyStream.Protocol;
namespace PolyStream.Simulator;

/// <summary>Settings of a simulated exchange; every property has a documented default.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The address to listen on. Default <c>127.0.0.1</c>; any other than loopback needs <see cref="AllowRemote"/> and <see cref="AccessToken"/>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; <c>0</c> (the default) picks a free port, read it back from <see cref="SimulatorServer.BaseUrl"/>.</summary>
    public int Port { get; init; }

    /// <summary>The number of binary markets created at start. Default 20.</summary>
    public int Markets { get; init; } = 20;

    /// <summary>The random seed; the same seed and step count give the same books and frames. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Engine steps per second driven by the server's pump; <c>0</c> = no pump (tests step by hand), <see cref="double.PositiveInfinity"/> = as fast as possible. Default 10.</summary>
    public double EventsPerSecond { get; init; } = 10;

    /// <summary>How often a paced pump steps the engine, in batches of the steps due; shorter means smaller bursts. Default 10 ms; at least 1 ms.</summary>
    public TimeSpan PumpInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Whether every market is alike, as the simulator was before its universe was varied: standalone
    /// binaries with <c>min_order_size</c> <c>"5"</c>, <c>neg_risk</c> <see langword="false"/>, the same
    /// depth and activity, no up-or-down series. Default <see langword="false"/>: markets vary as on the
    /// venue (neg-risk events, several minimum sizes, hot books and a quiet tail, short-lived series).
    /// <see cref="MinOrderSize"/> and <see cref="NegRisk"/> still override it.
    /// </summary>
    public bool Uniform { get; init; }

    /// <summary>
    /// The minimum order size of every market (hashed with every book), rendered as the venue does, e.g.
    /// <c>"15"</c>; <see langword="null"/> (the default) draws one per market (1, 5 or 15; 5 when <see cref="Uniform"/>).
    /// </summary>
    public string? MinOrderSize { get; init; }

    /// <summary>
    /// Whether every market is neg-risk (hashed with every book); <see langword="null"/> (the default)
    /// makes the markets of neg-risk events neg-risk and the others not (none when <see cref="Uniform"/>).
    /// </summary>
    public bool? NegRisk { get; init; }

    /// <summary>
    /// How long each market of the recurring "up or down" series lives: one lists as the previous one of
    /// its asset resolves, and the assets are staggered so a listing comes every quarter period. Only
    /// with <see cref="MarketLifecycle"/>; without it the series markets stay open. Default 15 minutes; at least 1 s.
    /// </summary>
    public TimeSpan SeriesPeriod { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether markets resolve and new ones list while running (<c>market_resolved</c>, <c>new_market</c>). Default <see langword="true"/>.</summary>
    public bool MarketLifecycle { get; init; } = true;

    /// <summary>How many engine frames the ground-truth history keeps; older ones are dropped. Default 200,000.</summary>
    public int HistoryLimit { get; init; } = 200_000;

    /// <summary>The API key the user channel accepts; <see langword="null"/> (the default) derives one from the seed.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The secret paired with <see cref="ApiKey"/>; <see langword="null"/> derives one from the seed.</summary>
    public string? ApiSecret { get; init; }

    /// <summary>The passphrase paired with <see cref="ApiKey"/>; <see langword="null"/> derives one from the seed.</summary>
    public string? ApiPassphrase { get; init; }

    /// <summary>The share of background orders that belong to the simulated account (user channel). Default 0.1.</summary>
    public double AccountOrderShare { get; init; } = 0.1;

    /// <summary>Assets per market-channel connection above which data silently stops, as on the venue. Default 500.</summary>
    public int MaxAssetsPerConnection { get; init; } = 500;

    /// <summary>Markets per page of <c>/markets</c> and its siblings. Default 100.</summary>
    public int MarketsPageLimit { get; init; } = 100;

    /// <summary>Frames queued for one socket before it is closed as a slow consumer. Default 100,000.</summary>
    public int MaxQueuedFramesPerConnection { get; init; } = 100_000;

    /// <summary>The chain id L1 signatures must commit to: 137 (Polygon) or 80002 (Amoy). Default 137.</summary>
    public long ChainId { get; init; } = PolyStream.Auth.ClobAuth.PolygonChainId;

    /// <summary>Whether <see cref="Host"/> may be reachable from other machines. Default <see langword="false"/>: such a host is refused.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>A bearer token every request must carry (<c>Authorization: Bearer …</c>), at least 16 characters; required off loopback. Default none.</summary>
    public string? AccessToken { get; init; }

    // Records print every property; options are logged and shown, so secrets are masked here.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Host = {Host}, Port = {Port}, Markets = {Markets}, Seed = {Seed}, EventsPerSecond = {EventsPerSecond}, PumpInterval = {PumpInterval}, ");
        builder.Append(CultureInfo.InvariantCulture, $"MinOrderSize = {MinOrderSize}, NegRisk = {NegRisk}, Uniform = {Uniform}, SeriesPeriod = {SeriesPeriod}, MarketLifecycle = {MarketLifecycle}, HistoryLimit = {HistoryLimit}, ");
        builder.Append(CultureInfo.InvariantCulture, $"ApiKey = {(ApiKey is null ? null : Redaction.ApiKey(ApiKey))}, ApiSecret = {Redaction.Secret(ApiSecret)}, ApiPassphrase = {Redaction.Secret(ApiPassphrase)}, ");
        builder.Append(CultureInfo.InvariantCulture, $"AccountOrderShare = {AccountOrderShare}, MaxAssetsPerConnection = {MaxAssetsPerConnection}, MarketsPageLimit = {MarketsPageLimit}, ");
        builder.Append(CultureInfo.InvariantCulture, $"MaxQueuedFramesPerConnection = {MaxQueuedFramesPerConnection}, ChainId = {ChainId}, AllowRemote = {AllowRemote}, AccessToken = {Redaction.Secret(AccessToken)}");
        return true;
    }
}
