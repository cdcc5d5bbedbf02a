using PolyStream.Protocol;

namespace PolyStream.Streaming;

/// <summary>What a <see cref="MarketShard"/>'s writer loop does next, in arrival order.</summary>
internal abstract record ShardWork
{
    private ShardWork()
    {
    }

    /// <summary>A frame copied off the socket into a pooled buffer the loop returns.</summary>
    public sealed record Frame(byte[] Buffer, int Length, long ReceivedAt) : ShardWork;

    /// <summary>Start keeping books for these assets, with their hashed metadata.</summary>
    public sealed record Track(IReadOnlyCollection<string> Assets) : ShardWork;

    /// <summary>Load a book saved by a previous run, until the feed confirms it.</summary>
    public sealed record Restore(Recording.BookCheckpoint Checkpoint) : ShardWork;

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

    /// <summary>Wakes the loop for queued control work.</summary>
    public sealed record Wake : ShardWork
    {
        public static Wake Instance { get; } = new();
    }
}
