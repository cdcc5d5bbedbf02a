
namespace PolyStream.Nats;

/// <summary>What one message did to a <see cref="ReplicaBook"/>.</summary>
internal enum ReplicaStep
{
    /// <summary>Applied and proven by its content hash.</summary>
    Applied,

    /// <summary>Already had it, or it is older than the book (a duplicate or a replay overlap).</summary>
    Skipped,

    /// <summary>Events are missing before it; the book waits for the next base.</summary>
    Gap,

    /// <summary>Applied, but the result differs from the publisher's book; the book waits for the next base.</summary>
    Diverged,
}
