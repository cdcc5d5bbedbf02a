
namespace PolyStream.Recording;

/// <summary>One frame as received, with when and on which connection.</summary>
/// <param name="Bytes">The frame's exact bytes.</param>
/// <param name="ReceivedAtMicros">Receive time in Unix microseconds.</param>
/// <param name="ConnectionId">The connection (shard) that received it.</param>
internal readonly record struct RecordedFrame(ReadOnlyMemory<byte> Bytes, long ReceivedAtMicros, ushort ConnectionId)
{
    /// <summary>The receive time as a <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ReceivedAt => DateTimeOffset.UnixEpoch.AddTicks(ReceivedAtMicros * 10);

    /// <summary>Whether this is a REST summary a book was based on (<see cref="RestBookRecord"/>), not a WebSocket frame.</summary>
    public bool IsRestBook => ConnectionId == RecordingFormat.RestBooksConnectionId;
}
