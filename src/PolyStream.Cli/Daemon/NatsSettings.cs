using PolyStream.Nats;

namespace PolyStream.Cli.Daemon;

/// <summary>
/// Section <c>PolyStream:Nats</c>: scale-out on NATS JetStream, on when <see cref="Url"/> is set. Every node of
/// a deployment gets the same universe (<c>Assets</c>/<c>Markets</c>) and the same settings but its own
/// <see cref="NodeId"/>; each streams the share it holds leases for (docs/scale-out.md).
/// </summary>
internal sealed class NatsSettings
{
    private static readonly NatsScaleOutOptions s_defaults = new();

    /// <summary>The NATS server, e.g. <c>nats://127.0.0.1:4222</c>; empty runs the daemon alone.</summary>
    public string? Url { get; set; }

    /// <summary>A NATS credentials file (JWT + NKey seed).</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>User name for user/password auth.</summary>
    public string? User { get; set; }

    /// <summary>Password for user/password auth; prefer the environment (<c>PolyStream__Nats__Password</c>) to the file.</summary>
    public string? Password { get; set; }

    /// <summary>Token for token auth; prefer the environment (<c>PolyStream__Nats__Token</c>).</summary>
    public string? Token { get; set; }

    /// <summary>This node's name, unique in the deployment. Default the machine name and process id.</summary>
    public string? NodeId { get; set; }

    /// <summary>The JetStream stream. Default <c>POLYSTREAM</c>.</summary>
    public string Stream { get; set; } = s_defaults.StreamName;

    /// <summary>The subject prefix. Default <c>polystream</c>.</summary>
    public string SubjectPrefix { get; set; } = s_defaults.SubjectPrefix;

    /// <summary>The KV bucket of book snapshots. Default <c>polystream-books</c>.</summary>
    public string SnapshotBucket { get; set; } = s_defaults.SnapshotBucket;

    /// <summary>The KV bucket of leases. Default <c>polystream-leases</c>.</summary>
    public string LeaseBucket { get; set; } = s_defaults.LeaseBucket;

    /// <summary>The longest a dead node's assets stay unowned, in seconds. Default 10.</summary>
    public double LeasePeriodSeconds { get; set; } = s_defaults.LeasePeriod.TotalSeconds;

    /// <summary>Slots the universe is hashed into. Default 32.</summary>
    public int Slots { get; set; } = s_defaults.Slots;

    /// <summary>The most often a book's KV snapshot is rewritten, and a lagging sink re-bases one book, in seconds. Default 1.</summary>
    public double SnapshotIntervalSeconds { get; set; } = s_defaults.SnapshotInterval.TotalSeconds;

    /// <summary>While events keep coming, the shortest time between two publish rounds, in milliseconds; 0 starts a round as soon as events wait. Default 5.</summary>
    public double BatchAgeMilliseconds { get; set; } = s_defaults.BatchAge.TotalMilliseconds;

    /// <summary>The most messages published and not yet acknowledged; the sink stops reading events while that many wait. Default 1024.</summary>
    public int MaxInFlight { get; set; } = s_defaults.MaxInFlight;

    /// <summary>How long the stream keeps events, in hours. Default 24.</summary>
    public double StreamMaxAgeHours { get; set; } = s_defaults.StreamMaxAge.TotalHours;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    public NatsScaleOutOptions ToOptions() => s_defaults with
    {
        Url = Url!,
        CredentialsFile = string.IsNullOrWhiteSpace(CredentialsFile) ? null : CredentialsFile,
        User = string.IsNullOrWhiteSpace(User) ? null : User,
        Password = string.IsNullOrWhiteSpace(Password) ? null : Password,
        Token = string.IsNullOrWhiteSpace(Token) ? null : Token,
        NodeId = string.IsNullOrWhiteSpace(NodeId) ? s_defaults.NodeId : NodeId,
        StreamName = Stream,
        SubjectPrefix = SubjectPrefix,
        SnapshotBucket = SnapshotBucket,
        LeaseBucket = LeaseBucket,
        LeasePeriod = TimeSpan.FromSeconds(LeasePeriodSeconds),
        Slots = Slots,
        SnapshotInterval = TimeSpan.FromSeconds(SnapshotIntervalSeconds),
        BatchAge = TimeSpan.FromMilliseconds(BatchAgeMilliseconds),
        MaxInFlight = MaxInFlight,
        StreamMaxAge = TimeSpan.FromHours(StreamMaxAgeHours),
    };
}
