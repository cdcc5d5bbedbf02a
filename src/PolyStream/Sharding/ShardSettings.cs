using PolyStream.Connections;
using PolyStream.Engine;
using PolyStream.Recording;

namespace PolyStream.Sharding;

/// <summary>What one market shard needs to run, taken once from the streamer's configuration.</summary>
/// <param name="Ws">The market connection, its URL already resolved.</param>
/// <param name="Engine">The book engine's settings (hash policy and auto-resync come from the streamer's configuration).</param>
/// <param name="QueueCapacity">Frames the shard queues between its socket and its engine before dropping.</param>
/// <param name="StaleAfter">A synced book silent this long is checked against a REST witness.</param>
/// <param name="StaleCheckInterval">How often the shard looks for quiet books.</param>
/// <param name="Recorder">Where raw frames are recorded; <see langword="null"/> for none.</param>
/// <param name="Time">The clock of every timer and timestamp.</param>
internal sealed record ShardSettings(
    WsConfig Ws,
    BookEngineOptions Engine,
    int QueueCapacity,
    TimeSpan StaleAfter,
    TimeSpan StaleCheckInterval,
    RecordingWriter? Recorder,
    TimeProvider Time)
{
    /// <summary>Frame bytes the shard queues before dropping, whatever the count: a hostile feed's large frames cannot fill memory first.</summary>
    public long QueueBytes { get; init; } = Protocol.WireLimits.MaxQueuedBytesPerShard;

    /// <summary>
    /// The one tick every shard of these settings shares, for its connection's watchdogs and its look for quiet
    /// books: as often as the faster of the two needs.
    /// </summary>
    public SharedTicker Ticker => LazyInitializer.EnsureInitialized(ref field, () =>
        new SharedTicker(WsClient.CheckPeriod(Ws) < StaleCheckInterval ? WsClient.CheckPeriod(Ws) : StaleCheckInterval, Time));
}
