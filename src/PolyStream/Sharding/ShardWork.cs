using PolyStream.Protocol;
using PolyStream.Recording;

namespace PolyStream.Sharding;

/// <summary>Control work for a <see cref="MarketShard"/>'s writer loop, done before the frames queued behind it.</summary>
internal abstract record ShardWork
{
    private ShardWork()
    {
    }

    /// <summary>Start keeping books for these assets, with their hashed metadata.</summary>
    public sealed record Track(IReadOnlyCollection<string> Assets) : ShardWork;

    /// <summary>Load a book saved by a previous run, until the feed confirms it.</summary>
    public sealed record Restore(BookCheckpoint Checkpoint) : ShardWork;

    /// <summary>Stop keeping books for these assets.</summary>
    public sealed record Untrack(IReadOnlyCollection<string> Assets) : ShardWork;

    /// <summary>A verified REST book: a resync answer or a staleness witness.</summary>
    public sealed record RestSnapshot(BookEvent Snapshot) : ShardWork;

    /// <summary>Resubscribe one asset so the venue sends it a fresh snapshot.</summary>
    public sealed record Resubscribe(string AssetId) : ShardWork;

    /// <summary>The connection was replaced; what was sent meanwhile is lost, so every book re-bases.</summary>
    public sealed record Reconnected : ShardWork
    {
        public static Reconnected Instance { get; } = new();
    }

    /// <summary>Frames were dropped because the queue was full; every book re-bases.</summary>
    public sealed record Overflowed : ShardWork
    {
        public static Overflowed Instance { get; } = new();
    }
}
