namespace PolyStream.Protocol;

/// <summary>
/// The limits every layer applies to what the venue sends, in one place so they agree: a frame the socket
/// accepts is one the parser reads, and a side the parser accepts is one a book holds.
/// </summary>
internal static class WireLimits
{
    /// <summary>The largest frame, in bytes: an initial dump of hundreds of deep books fits in 32 MiB.</summary>
    public const int MaxFrameBytes = 32 * 1024 * 1024;

    /// <summary>The most levels on one side of one book: every price at a 0.0001 tick.</summary>
    public const int MaxLevelsPerSide = 10_001;

    /// <summary>The most frame bytes one shard queues between its socket and its engine: eight of the largest frames.</summary>
    public const long MaxQueuedBytesPerShard = 8L * MaxFrameBytes;
}
