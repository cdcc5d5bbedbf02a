
namespace PolyStream.Sharding;

/// <summary>
/// What a <see cref="MarketShard"/>'s socket reader hands its writer loop: a frame copied into a buffer
/// of the shard's pool, or, with no buffer, a wake-up for queued control work or a due timeout. A struct,
/// so the queue between the two costs no allocation per frame.
/// </summary>
/// <param name="Buffer">The frame's bytes (rented from the shard's pool), or <see langword="null"/> for a wake-up.</param>
/// <param name="Length">How many bytes of <paramref name="Buffer"/> are the frame.</param>
/// <param name="ReceivedAt">When the reader took the frame off the socket (a <see cref="TimeProvider"/> timestamp).</param>
internal readonly record struct ShardFrame(byte[]? Buffer, int Length, long ReceivedAt)
{
    /// <summary>Wakes the loop without a frame.</summary>
    public static ShardFrame Wake => default;
}
