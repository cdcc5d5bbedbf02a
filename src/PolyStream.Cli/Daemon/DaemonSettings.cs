
namespace PolyStream.Cli.Daemon;

/// <summary>
/// The daemon's configuration, section <c>PolyStream</c> of the config file, overridable by environment
/// variables such as <c>PolyStream__Host</c> (docs/daemon.md lists every key with an example).
/// </summary>
internal sealed class DaemonSettings
{
    /// <summary>The CLOB REST host; the WebSocket URLs follow from it. Default the venue's.</summary>
    public string Host { get; set; } = Rest.ClobClientOptions.ProductionHost.ToString();

    /// <summary>The Gamma host for <see cref="Markets"/>. Default the venue's.</summary>
    public string GammaHost { get; set; } = Rest.GammaClientOptions.ProductionHost.ToString();

    /// <summary>Token ids to stream.</summary>
    public List<string> Assets { get; set; } = [];

    /// <summary>Market slugs to stream (both tokens each).</summary>
    public List<string> Markets { get; set; } = [];

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
}
