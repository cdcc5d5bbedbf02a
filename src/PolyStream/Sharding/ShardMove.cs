namespace PolyStream.Sharding;

/// <summary>Work for the set's own loop: a move a shard asked for, or a split of a silent shard.</summary>
internal abstract record ShardMove
{
    private ShardMove()
    {
    }

    /// <summary>Move one book that keeps going stale to another connection.</summary>
    public sealed record Relocate(string AssetId) : ShardMove;

    /// <summary>Move half the books of a shard that went silent (no data, books proven stale) to a new connection.</summary>
    public sealed record Split(MarketShard Shard) : ShardMove;
}
