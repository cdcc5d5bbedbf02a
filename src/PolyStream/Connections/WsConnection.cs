using System.Net.WebSockets;

namespace PolyStream.Connections;

/// <summary>One socket of a <see cref="WsClient"/>: its cancellation, timestamps, the ids it was sent, and the first failure its watchdogs saw.</summary>
internal sealed class WsConnection
{
    private readonly CancellationTokenSource _cancellation;
    private int _failure;

    public WsConnection(long id, ClientWebSocket socket, CancellationTokenSource cancellation)
    {
        Id = id;
        Socket = socket;
        _cancellation = cancellation;
    }

    /// <summary>The connection's number within its client, from 1.</summary>
    public long Id { get; }

    /// <summary>The socket.</summary>
    public ClientWebSocket Socket { get; }

    /// <summary>Cancelled when this connection must end (client disposed or a watchdog fired).</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The ids this socket has been sent, guarded by the client's send lock.</summary>
    public HashSet<string> Live { get; } = new(StringComparer.Ordinal);

    /// <summary>The size of <see cref="Live"/>, readable without the send lock.</summary>
    public int LiveCount { get => Volatile.Read(ref field); set => Volatile.Write(ref field, value); }

    /// <summary>Whether the initial subscribe has been sent; guarded by the client's send lock.</summary>
    public bool IsSubscribed { get; set; }

    /// <summary>When the handshake completed (clock timestamp).</summary>
    public long ConnectedAt { get; set; }

    /// <summary>When the initial subscribe was sent (clock timestamp), 0 before.</summary>
    public long SubscribedAt { get => Volatile.Read(ref field); set => Volatile.Write(ref field, value); }

    /// <summary>When the last frame of any kind arrived (clock timestamp), 0 before.</summary>
    public long LastFrameAt { get => Volatile.Read(ref field); set => Volatile.Write(ref field, value); }

    /// <summary>When the last data (JSON) frame arrived (clock timestamp), 0 before.</summary>
    public long LastDataAt { get => Volatile.Read(ref field); set => Volatile.Write(ref field, value); }

    /// <summary>When the last PING was sent (clock timestamp), 0 before.</summary>
    public long LastPingAt { get; set; }

    /// <summary>The first failure a watchdog reported, or <see cref="WsDisconnectReason.None"/>.</summary>
    public WsDisconnectReason Failure => (WsDisconnectReason)Volatile.Read(ref _failure);

    /// <summary>Records why this connection must end (first caller wins) and cancels it, which aborts the socket.</summary>
    public void Fail(WsDisconnectReason reason)
    {
        if (Interlocked.CompareExchange(ref _failure, (int)reason, (int)WsDisconnectReason.None) == (int)WsDisconnectReason.None)
        {
            _cancellation.Cancel();
        }
    }
}
