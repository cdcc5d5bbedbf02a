using System.Globalization;
using System.Text;
using PolyStream.Protocol;
namespace PolyStream.Nats;

/// <summary>
/// Where and how PolyStream meets NATS JetStream: the server, its credentials, the stream and buckets it
/// uses, and the timing of asset ownership. Every property has a documented default; nodes that share a
/// universe must agree on everything but <see cref="NodeId"/>. <see cref="object.ToString"/> masks the
/// password, the token and any <c>user:password@</c> in <see cref="Url"/>.
/// </summary>
public sealed record NatsScaleOutOptions
{
    /// <summary>The NATS server URL. Default <c>nats://127.0.0.1:4222</c>.</summary>
    public string Url { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>A NATS credentials file (JWT and NKey seed), for servers with decentralised auth. Default none.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>A user name for servers with user/password auth. Default none.</summary>
    public string? User { get; init; }

    /// <summary>The password for <see cref="User"/>. Default none.</summary>
    public string? Password { get; init; }

    /// <summary>A token for servers with token auth. Default none.</summary>
    public string? Token { get; init; }

    /// <summary>The JetStream stream events are published to. Default <c>POLYSTREAM</c>.</summary>
    public string StreamName { get; init; } = "POLYSTREAM";

    /// <summary>The first subject token: batches go to <c>&lt;prefix&gt;.batch.&lt;slot&gt;</c>, events alone to <c>&lt;prefix&gt;.&lt;event&gt;.&lt;asset&gt;</c>. Default <c>polystream</c>.</summary>
    public string SubjectPrefix { get; init; } = "polystream";

    /// <summary>How long the stream keeps events. Default 24 hours.</summary>
    public TimeSpan StreamMaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The stream's de-duplication window for <c>Nats-Msg-Id</c>: a re-published message inside it is stored once. Default 2 minutes.</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The KV bucket holding each book's latest state, key per asset. Default <c>polystream-books</c>.</summary>
    public string SnapshotBucket { get; init; } = "polystream-books";

    /// <summary>The KV bucket holding node presence and slot leases. Default <c>polystream-leases</c>.</summary>
    public string LeaseBucket { get; init; } = "polystream-leases";

    /// <summary>
    /// The longest a dead node's assets stay unowned: leases expire by the bucket's age limit within it,
    /// and the survivors look for free slots often enough to take them over inside it. Default 10 s.
    /// </summary>
    public TimeSpan LeasePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many slots the asset universe is hashed into; a slot is the unit of ownership. More slots
    /// balance finer, each costs one lease renewal per period. Default 32.
    /// </summary>
    public int Slots { get; init; } = 32;

    /// <summary>This node's name, unique among the nodes sharing a universe (letters, digits, <c>-</c> and <c>_</c>). Default the machine name and process id.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// The most often one asset's snapshot is rewritten in KV while it only receives deltas (re-bases are written at once),
    /// and the most often a sink that keeps falling behind re-bases one book on the stream. Default 1 s.
    /// </summary>
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The default of <see cref="MaxInFlight"/>.</summary>
    internal const int DefaultMaxInFlight = 1024;

    /// <summary>
    /// The most messages (each a batch of up to 128 events, or one event) published and not yet acknowledged at once;
    /// the sink stops reading events while that many wait. Default 1024: a node publishing 200,000 events a second sends
    /// about 6,000 messages a second, and a server on the same busy cores took 10–35 ms to acknowledge each.
    /// </summary>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;

    /// <summary>
    /// While events keep coming, the shortest time between two publish rounds, so each slot's batch gathers what
    /// the slot received meanwhile rather than the one or two events of a round trip: fewer, fuller messages cost
    /// the node and the server less per event. An event after a quiet spell goes out at once. Zero starts a round as
    /// soon as events wait. Default 5 ms (the timer's resolution may add a few).
    /// </summary>
    public TimeSpan BatchAge { get; init; } = TimeSpan.FromMilliseconds(5);

    // Records print every property; these settings are logged and shown, so secrets are masked here.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Url = {Redaction.Url(Url)}, CredentialsFile = {CredentialsFile}, User = {User}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Password = {Redaction.Secret(Password)}, Token = {Redaction.Secret(Token)}, ");
        builder.Append(CultureInfo.InvariantCulture, $"StreamName = {StreamName}, SubjectPrefix = {SubjectPrefix}, StreamMaxAge = {StreamMaxAge}, DuplicateWindow = {DuplicateWindow}, ");
        builder.Append(CultureInfo.InvariantCulture, $"SnapshotBucket = {SnapshotBucket}, LeaseBucket = {LeaseBucket}, LeasePeriod = {LeasePeriod}, Slots = {Slots}, ");
        builder.Append(CultureInfo.InvariantCulture, $"NodeId = {NodeId}, SnapshotInterval = {SnapshotInterval}, MaxInFlight = {MaxInFlight}, BatchAge = {BatchAge}");
        return true;
    }
}
