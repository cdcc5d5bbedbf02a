
namespace PolyStream.Connections;

/// <summary>Why a <see cref="WsClient"/> connection ended or could not be opened.</summary>
internal enum WsDisconnectReason
{
    /// <summary>No disconnect yet.</summary>
    None,

    /// <summary>The handshake failed (refused, timed out, or an HTTP error other than 429).</summary>
    ConnectFailed,

    /// <summary>The handshake got HTTP 429; the wait honours <c>Retry-After</c>.</summary>
    RateLimited,

    /// <summary>The server sent a close frame; see the close status.</summary>
    ServerClosed,

    /// <summary>The socket failed without a close handshake.</summary>
    ConnectionLost,

    /// <summary>No frame of any kind (PONG included) arrived within the PONG timeout.</summary>
    PongTimeout,

    /// <summary>The no-data watchdog fired: subscribed, heartbeats answered, but no data.</summary>
    NoData,

    /// <summary>A frame exceeded the maximum frame size; it was dropped.</summary>
    FrameTooLarge,

    /// <summary>The owner asked for a fresh connection (<see cref="WsClient.Recycle"/>): the socket looked alive but served stale data.</summary>
    Recycled,
}
