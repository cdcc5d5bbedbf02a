using Microsoft.Extensions.Logging;

namespace PolyStream.Nats;

/// <summary>The scale-out's log messages; event ids 7xxx.</summary>
internal static partial class NatsLog
{
    [LoggerMessage(7001, LogLevel.Information, "Node {Node} connected to {Url}: stream {Stream}, buckets {Snapshots} and {Leases}")]
    public static partial void Connected(ILogger logger, string node, string url, string stream, string snapshots, string leases);

    [LoggerMessage(7002, LogLevel.Warning, "Publishing to {Subject} failed, will retry: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string subject, string reason);

    [LoggerMessage(7003, LogLevel.Warning, "Writing the snapshot of {AssetId} failed, will retry: {Reason}")]
    public static partial void SnapshotWriteFailed(ILogger logger, string assetId, string reason);

    [LoggerMessage(7004, LogLevel.Warning, "Refused to publish a {Kind} event: its {Field} is not 1-128 letters, digits, '-' or '_', so it cannot be part of a subject, key or message id")]
    public static partial void UnsafeId(ILogger logger, PolyStream.Events.StreamEventKind kind, string field);

    [LoggerMessage(7005, LogLevel.Warning, "Left {Count} assets of the universe out: their ids are not 1-128 letters, digits, '-' or '_'")]
    public static partial void UnsafeUniverse(ILogger logger, int count);

    [LoggerMessage(7006, LogLevel.Warning, "Left a market of the universe out: one of its {Tokens} token ids is not 1-128 letters, digits, '-' or '_'")]
    public static partial void UnsafeMarket(ILogger logger, int tokens);

    [LoggerMessage(7007, LogLevel.Information, "The streamer does not hash trades (StreamerConfig.HashTrades is off): each published trade's book is rebuilt here to hash it, which costs more CPU and garbage than hashing in the engine")]
    public static partial void TradesNotHashed(ILogger logger);

    [LoggerMessage(7010, LogLevel.Information, "Acquired slot {Slot}")]
    public static partial void SlotAcquired(ILogger logger, int slot);

    [LoggerMessage(7011, LogLevel.Information, "Released slot {Slot} to balance {Nodes} nodes")]
    public static partial void SlotReleased(ILogger logger, int slot, int nodes);

    [LoggerMessage(7012, LogLevel.Warning, "Lost slot {Slot}: {Reason}")]
    public static partial void SlotLost(ILogger logger, int slot, string reason);

    [LoggerMessage(7013, LogLevel.Warning, "Lease round failed, will retry: {Reason}")]
    public static partial void LeaseRoundFailed(ILogger logger, string reason);

    [LoggerMessage(7014, LogLevel.Warning, "Restoring {Markets} markets of held slots from the bus failed, will retry: {Reason}")]
    public static partial void CarryFailed(ILogger logger, int markets, string reason);

    [LoggerMessage(7020, LogLevel.Information, "Took over {Assets} assets, {Restored} restored from the bus")]
    public static partial void TookOver(ILogger logger, int assets, int restored);

    [LoggerMessage(7030, LogLevel.Warning, "Replica saw a gap on {AssetId}: at {Epoch}:{Seq}, got {GotEpoch}:{GotSeq}")]
    public static partial void ReplicaGap(ILogger logger, string assetId, long epoch, long seq, long gotEpoch, long gotSeq);

    [LoggerMessage(7031, LogLevel.Warning, "Replica book {AssetId} differs from its publisher's at {Epoch}:{Seq}")]
    public static partial void ReplicaDiverged(ILogger logger, string assetId, long epoch, long seq);

    [LoggerMessage(7033, LogLevel.Warning, "Replica stopped reading the {What} and starts again: {Reason}")]
    public static partial void ReplicaRestarting(ILogger logger, string what, string reason);

    [LoggerMessage(7032, LogLevel.Warning, "Replica skipped an unreadable message on {Subject}: {Reason}")]
    public static partial void ReplicaBadMessage(ILogger logger, string subject, string reason);
}
