
namespace PolyStream.Cli;

/// <summary>What the verbs that talk to NATS (<c>stream --nats</c>, <c>bench --nats</c>) suggest when it cannot be used.</summary>
internal static class NatsHint
{
    /// <summary>The usual cause: no server there, or one started without JetStream.</summary>
    public const string ServerNotRunning = "Is nats-server running with JetStream (-js)?";
}
