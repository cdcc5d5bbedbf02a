using NATS.Client.Core;
using PolyStream.Protocol;

namespace PolyStream.Nats;

/// <summary>Checks <see cref="NatsScaleOutOptions"/> and turns them into a NATS connection.</summary>
internal static class NatsConfig
{
    /// <exception cref="ArgumentException">A setting is unusable; the message says which and why.</exception>
    public static void Validate(NatsScaleOutOptions options)
    {
        if (!BusNames.IsValidNodeId(options.NodeId))
        {
            throw new ArgumentException($"Node id '{options.NodeId}' must be 1–64 letters, digits, '-' or '_'.");
        }

        if (options.Slots is < 1 or > 4096)
        {
            throw new ArgumentException($"Slots must be between 1 and 4096 (got {options.Slots}).");
        }

        if (options.LeasePeriod < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"The lease period must be at least 1 s (got {options.LeasePeriod}).");
        }

        if (options.MaxInFlight < 1)
        {
            throw new ArgumentException($"MaxInFlight must be at least 1 (got {options.MaxInFlight}).");
        }

        if (options.SnapshotInterval <= TimeSpan.Zero || options.DuplicateWindow <= TimeSpan.Zero || options.StreamMaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException("SnapshotInterval, DuplicateWindow and StreamMaxAge must be positive.");
        }

        if (options.BatchAge < TimeSpan.Zero || options.BatchAge > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"The batch age must be between 0 and 1 s (got {options.BatchAge.TotalMilliseconds} ms).");
        }

        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("nats" or "tls" or "ws" or "wss"))
        {
            throw new ArgumentException($"'{Redaction.Url(options.Url)}' is not a NATS URL such as nats://127.0.0.1:4222.");
        }

        var sendsSecret = !string.IsNullOrEmpty(options.Password) || !string.IsNullOrEmpty(options.Token) || url.UserInfo.Length > 0;
        if (sendsSecret && url.Scheme is not ("tls" or "wss") && !TransportSecurity.IsSafe(url))
        {
            // nats:// upgrades to TLS only if the server asks; a password or token must not depend on that.
            throw new ArgumentException($"'{Redaction.Url(options.Url)}' is plain text to another machine, and a password or token would cross it readable: use tls://{url.Authority} (or wss://).");
        }
    }

    /// <summary>
    /// A connection that reconnects forever with jittered backoff: the sink and replica ride out a NATS restart.
    /// It keeps the client's subject validation (never set <c>SkipSubjectValidation</c>): subjects carry ids
    /// from the feed, which <see cref="BusNames.IsSafeId"/> has checked first, and the client checks again.
    /// </summary>
    public static NatsConnection Connect(NatsScaleOutOptions options, string name) => new(new NatsOpts
    {
        Url = options.Url,
        Name = $"polystream-{name}",
        AuthOpts = new NatsAuthOpts
        {
            CredsFile = options.CredentialsFile,
            Username = options.User,
            Password = options.Password,
            Token = options.Token,
        },
        MaxReconnectRetry = -1,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
        ReconnectWaitMax = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(5),
    });
}
