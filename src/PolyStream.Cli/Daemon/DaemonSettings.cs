using Microsoft.Extensions.Configuration;
using System.Collections.Immutable;
using PolyStream.Nats;

namespace PolyStream.Cli.Daemon;

/// <summary>
/// The daemon's configuration, section <c>PolyStream</c> of the config file, overridable by environment
/// variables such as <c>PolyStream__Host</c> (docs/daemon.md lists every key with an example).
/// </summary>
internal sealed class DaemonSettings
{
    /// <summary>The CLOB REST host; the WebSocket URLs follow from it. Default the venue's.</summary>
    public string Host { get; set; } = Rest.ClobClientOptions.ProductionHost.ToString();

    /// <summary>The Gamma host for <see cref="Markets"/> and the <see cref="Universe"/>. Default the venue's, or <c>Host/gamma/</c> when <see cref="Host"/> is this machine (the simulator).</summary>
    public string GammaHost { get; set; } = Rest.GammaClientOptions.ProductionHost.ToString();

    /// <summary>Token ids to stream.</summary>
    public List<string> Assets { get; set; } = [];

    /// <summary>Market slugs to stream (both tokens each).</summary>
    public List<string> Markets { get; set; } = [];

    /// <summary>Every active market (<c>"all"</c>) or those passing a filter object; none (the default) streams only <see cref="Assets"/> and <see cref="Markets"/>.</summary>
    public UniverseSettings? Universe { get; set; }

    /// <summary><c>Verify</c>, <c>Off</c>, or <c>Sample:N</c>. Default <c>Verify</c>.</summary>
    public string HashPolicy { get; set; } = "Verify";

    /// <summary>Assets per connection. Default 200.</summary>
    public int MaxAssetsPerConnection { get; set; } = 200;

    /// <summary>Seconds of silence before a book is checked against REST. Default 60.</summary>
    public int StaleAfterSeconds { get; set; } = 60;

    /// <summary>Seconds between status log lines. Default 30.</summary>
    public int StatusIntervalSeconds { get; set; } = 30;

    /// <summary>A folder to record every raw frame into; none when empty.</summary>
    public string? RecordTo { get; set; }

    /// <summary>Minutes after which the recording starts a new segment. Default 60.</summary>
    public double RecordRotateMinutes { get; set; } = 60;

    /// <summary>Megabytes (MiB) past which the recording starts a new segment. Default 256.</summary>
    public long RecordRotateMegabytes { get; set; } = 256;

    /// <summary>Hours after which a closed segment is deleted; 0 (the default) keeps every segment.</summary>
    public double RecordRetainHours { get; set; }

    /// <summary>Megabytes (MiB) the recording may take before its oldest segments are deleted; 0 (the default) keeps every segment.</summary>
    public long RecordRetainMegabytes { get; set; }

    /// <summary>The recording's options from these settings.</summary>
    public Recording.RecordingWriterOptions RecordingOptions(string source, IEnumerable<Tui.WatchedAsset> assets) => new()
    {
        Directory = RecordTo!,
        Source = source,
        Assets = [.. assets.Select(a => a.AssetId)],
        Labels = assets.ToImmutableDictionary(a => a.AssetId, a => a.Label),
        MaxSegmentAge = TimeSpan.FromMinutes(RecordRotateMinutes),
        MaxSegmentBytes = RecordRotateMegabytes << 20,
        RetainAge = RecordRetainHours > 0 ? TimeSpan.FromHours(RecordRetainHours) : null,
        RetainBytes = RecordRetainMegabytes > 0 ? RecordRetainMegabytes << 20 : null,
    };

    /// <summary>Seconds between checkpoints of every book (written atomically, loaded as Restored at the next start); 0 turns them off. Default 30.</summary>
    public int CheckpointIntervalSeconds { get; set; } = 30;

    /// <summary>The checkpoint file; default <c>checkpoint.json</c> in the data folder.</summary>
    public string? CheckpointFile { get; set; }

    /// <summary>The address <c>/metrics</c> and <c>/health</c> listen on. Default 127.0.0.1 (this machine only); any other needs <see cref="StatusAllowRemote"/> and <see cref="StatusAccessToken"/>.</summary>
    public string StatusHost { get; set; } = "127.0.0.1";

    /// <summary>Whether <see cref="StatusHost"/> may be reachable from other machines. Default false: such a host is refused.</summary>
    public bool StatusAllowRemote { get; set; }

    /// <summary>A bearer token every status request must carry, at least 16 characters; required off loopback. Default none.</summary>
    public string? StatusAccessToken { get; set; }

    /// <summary>Whether <c>/health</c> lists every book's state (it names every asset streamed). Default false: counts only.</summary>
    public bool StatusListBooks { get; set; }

    /// <summary>The port of <c>/metrics</c> and <c>/health</c>; 0 turns them off. Default 9464.</summary>
    public int StatusPort { get; set; } = 9464;

    /// <summary>Allow plain http/ws to a host other than this machine. Default false.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>Scale-out on NATS JetStream; off unless its <c>Url</c> is set.</summary>
    public NatsSettings Nats { get; set; } = new();

    /// <summary>Folder for credentials and data; the XDG defaults when empty.</summary>
    public string? DataDir { get; set; }

    /// <summary>
    /// Binds section <c>PolyStream</c> of <paramref name="configuration"/>: a misspelt key or a value of the wrong
    /// type throws <see cref="InvalidOperationException"/> naming it, rather than being ignored.
    /// </summary>
    public static DaemonSettings Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection("PolyStream");
        if (!section.Exists())
        {
            throw new InvalidOperationException("it has no \"PolyStream\" section (docs/daemon.md shows one).");
        }

        if (section["Universe"] is { } word && !UniverseSettings.IsAll(word))
        {
            // Said here in the configuration's words: the binder's own message names a .NET type.
            throw new InvalidOperationException($"PolyStream:Universe must be \"all\" or a filter object such as {{ \"Text\": \"bitcoin\", \"MinVolume\": 10000 }}, not '{word}'.");
        }

        var settings = section.Get<DaemonSettings>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new DaemonSettings();
        if (section["GammaHost"] is null && Uri.TryCreate(settings.Host, UriKind.Absolute, out var host) && host.IsLoopback)
        {
            // This machine's CLOB is the simulator, which serves its Gamma under /gamma/ (as the CLI's --gamma-host).
            settings.GammaHost = new Uri(new Uri(settings.Host.EndsWith('/') ? settings.Host : settings.Host + "/"), "gamma/").ToString();
        }

        return settings;
    }

    /// <summary>The first value the daemon cannot run with, as one sentence; <see langword="null"/> when every value is usable.</summary>
    public string? Problem()
    {
        static bool IsHttp(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        if (Assets.Count + Markets.Count == 0 && Universe is null)
        {
            return "PolyStream:Assets and PolyStream:Markets are both empty and there is no PolyStream:Universe: name at least one token or market slug, or \"Universe\": \"all\".";
        }

        if (Universe?.Problem() is { } universe)
        {
            return universe;
        }

        if (Universe is not null && Nats.Enabled && Assets.Count + Markets.Count > 0)
        {
            // The nodes split the universe by market; fixed tokens on top would be streamed by no node or by all.
            return "PolyStream:Universe with PolyStream:Nats shares the universe among the nodes by market: leave PolyStream:Assets and PolyStream:Markets empty.";
        }

        (bool Wrong, string Message)[] checks =
        [
            (!IsHttp(Host), $"PolyStream:Host '{Host}' is not an http(s) URL."),
            (!IsHttp(GammaHost), $"PolyStream:GammaHost '{GammaHost}' is not an http(s) URL."),
            (MaxAssetsPerConnection is < 1 or > 500, $"PolyStream:MaxAssetsPerConnection must be between 1 and 500, not {MaxAssetsPerConnection}."),
            (StaleAfterSeconds < 1, $"PolyStream:StaleAfterSeconds must be at least 1, not {StaleAfterSeconds}."),
            (StatusIntervalSeconds < 1, $"PolyStream:StatusIntervalSeconds must be at least 1, not {StatusIntervalSeconds}."),
            (CheckpointIntervalSeconds < 0, $"PolyStream:CheckpointIntervalSeconds must be 0 (off) or more, not {CheckpointIntervalSeconds}."),
            (StatusPort is < 0 or > 65_535, $"PolyStream:StatusPort must be between 0 (off) and 65535, not {StatusPort}."),
            (StatusHost != "localhost" && !System.Net.IPAddress.TryParse(StatusHost, out _), $"PolyStream:StatusHost must be an IP address or localhost, not '{StatusHost}'."),
        ];
        if (checks.FirstOrDefault(c => c.Wrong).Message is { } problem)
        {
            return problem;
        }

        try
        {
            Engine.HashPolicy.Parse(HashPolicy);
        }
        catch (FormatException ex)
        {
            return $"PolyStream:HashPolicy: {ex.Message}";
        }

        try
        {
            // The node checks these as it starts; checked here too, a mistake is the user's (exit 2), not NATS failing.
            if (Nats.Enabled)
            {
                NatsConfig.Validate(Nats.ToOptions());
            }

            return null;
        }
        catch (ArgumentException ex)
        {
            return $"PolyStream:Nats: {ex.Message}";
        }
    }
}
