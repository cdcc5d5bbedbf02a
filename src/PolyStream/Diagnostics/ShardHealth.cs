using PolyStream.Connections;
using PolyStream.Engine;

namespace PolyStream.Diagnostics;

/// <summary>One connection shard's health: its socket, its books, and frames it had to drop.</summary>
public sealed record ShardHealth
{
    /// <summary>The shard's index.</summary>
    public int Shard { get; init; }

    /// <summary>The connection's state and counters.</summary>
    public required WsHealth Connection { get; init; }

    /// <summary>Assets the shard carries.</summary>
    public int Assets { get; init; }

    /// <summary>The shard's book-engine counters.</summary>
    public required BookEngineCounts Books { get; init; }

    /// <summary>Frames dropped because the shard's queue was full (each re-bases the books it named, or all of the shard's when it named none readably).</summary>
    public long DroppedFrames { get; init; }
}
