
namespace PolyStream.Connections;

/// <summary>Where a WebSocket connection is in its life cycle.</summary>
public enum WsState
{
    /// <summary>Created, not started.</summary>
    Idle,

    /// <summary>Opening the WebSocket.</summary>
    Connecting,

    /// <summary>The handshake succeeded; the subscribe is being sent.</summary>
    Connected,

    /// <summary>The desired subscription set was sent; frames flow and the heartbeat runs.</summary>
    Subscribed,

    /// <summary>The no-data watchdog fired: the socket was alive but silent; it is being recycled.</summary>
    Stalled,

    /// <summary>Waiting out a backoff before the next connect.</summary>
    Reconnecting,

    /// <summary>Disposed; no further connects.</summary>
    Closed,
}
