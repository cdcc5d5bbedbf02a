using System.Net;
using System.Net.Sockets;
using PolyStream.Threading;

namespace PolyStream.Connections;

/// <summary>
/// Opens every WebSocket of a <see cref="WsClient"/> over a socket that stays in blocking mode
/// (<see cref="BlockingSocketStream"/>), so its reader thread sleeps in the kernel between frames.
/// </summary>
/// <remarks>
/// At the venue's real rates a frame arrives every few hundred microseconds and the cost is in the wake-ups, not
/// the bytes. Through the runtime's asynchronous sockets a frame wakes the socket event thread, which queues the
/// read's completion to the thread pool, which wakes a worker; and once a socket has run one asynchronous
/// operation the runtime keeps it non-blocking for good, so even a synchronous read then waits on that event
/// thread. A bare receive loop at 1,400 frames/s spent 2.1–2.5 % of a core that way, and 1.1–1.2 % reading a
/// socket that never left blocking mode (docs/performance.md, "CPU per output line"). So the connect here
/// blocks too (bounded by the connect timeout, which closes the socket), and TLS and the HTTP upgrade run over
/// the blocking stream as well; the connect and the handshake's reads wait on threads of their own, never on the pool.
/// </remarks>
internal static class BlockingTransport
{
    /// <summary>The invoker every <see cref="WsClient"/> connects through; shared, as its handler keeps no per-connection state.</summary>
    /// <remarks>
    /// An upgraded connection leaves the handler's pool; a refused upgrade (a 429) would go back to it, and a zero
    /// lifetime closes it instead, so every attempt starts on a fresh connection, as <see cref="System.Net.WebSockets.ClientWebSocket"/>'s own handler does.
    /// </remarks>
    public static HttpMessageInvoker Invoker { get; } = new(
        new SocketsHttpHandler { ConnectCallback = ConnectAsync, PooledConnectionLifetime = TimeSpan.Zero },
        disposeHandler: false);

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Disposing the socket is the only way to interrupt a blocking connect.
            using (cancellationToken.UnsafeRegister(static state => ((Socket)state!).Dispose(), socket))
            {
                // On a thread of its own: a pool thread must not wait for the network (BlockingSocketStream).
                await DedicatedThread.Run(() => socket.Connect(addresses, endpoint.Port)).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return new BlockingSocketStream(socket);
        }
        catch (Exception exception)
        {
            socket.Dispose();
            if (cancellationToken.IsCancellationRequested && exception is SocketException or ObjectDisposedException)
            {
                throw new OperationCanceledException("The connect timed out or was cancelled.", exception, cancellationToken);
            }

            throw;
        }
    }
}
