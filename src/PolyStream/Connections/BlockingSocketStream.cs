using System.Net.Sockets;
using PolyStream.Threading;

namespace PolyStream.Connections;

/// <summary>
/// A WebSocket's transport whose every operation blocks, so the connection's reader thread waits for the next
/// frame in the kernel and is woken there directly (<see cref="BlockingTransport"/> says why).
/// </summary>
/// <remarks>
/// The asynchronous methods run synchronously and return completed tasks: the WebSocket, HTTP and TLS layers
/// above call them, and a read that completes in place lets a whole <c>ReceiveAsync</c> complete on the caller's
/// thread. Only a reader thread (<see cref="ReadInPlaceOnThisThread"/>) reads in place; a read from any other
/// thread — the handshake's, on the thread pool — waits on a thread of its own, so no pool thread ever waits for
/// the network (an in-process server, or anything else on the pool, would starve behind it). Disposing the stream
/// shuts the socket down and disposes it, which wakes a thread blocked in a read or a write; that is how aborting
/// the WebSocket (cancellation, a watchdog, disposal) ends its reader.
/// </remarks>
internal sealed class BlockingSocketStream : Stream
{
    [ThreadStatic]
    private static bool t_readsInPlace;

    [ThreadStatic]
    private static TimeSpan t_gather;

    private readonly Socket _socket;

    /// <summary>Wraps a connected socket that has never run an asynchronous operation; the stream owns it.</summary>
    public BlockingSocketStream(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    /// <summary>Marks the calling thread as a connection's reader, whose reads wait in place for the rest of its life.</summary>
    public static void ReadInPlaceOnThisThread() => t_readsInPlace = true;

    /// <summary>
    /// Lets the calling reader's next read from the socket, if nothing has arrived yet, sleep for <paramref name="window"/>
    /// first, so that the frames arriving meanwhile take one wake-up (<see cref="WsConfig.ReceiveGather"/>). Asked at a
    /// frame's end and used by one read only: a large frame arriving in pieces is not slowed down piece by piece.
    /// </summary>
    public static void GatherBeforeNextRead(TimeSpan window) => t_gather = window;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer) => Receive(buffer);

    public override int Read(byte[] buffer, int offset, int count) => Receive(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        if (!t_readsInPlace)
        {
            return new ValueTask<int>(DedicatedThread.Run(() => Receive(buffer.Span)));
        }

        try
        {
            return new ValueTask<int>(Receive(buffer.Span));
        }
        catch (IOException exception)
        {
            return ValueTask.FromException<int>(exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer) => Send(buffer);

    public override void Write(byte[] buffer, int offset, int count) => Send(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            Send(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (IOException exception)
        {
            return ValueTask.FromException(exception);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        // Nothing is buffered here: every write goes to the socket.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                // Ends the stream in order, after what was written (a close frame): a socket closed with unread bytes
                // resets the connection instead, and the peer may lose what it had not read yet.
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // Already reset, or disposed before: nothing left to deliver.
            }

            // The runtime wakes a thread waiting in a read or a write of a socket it disposes (BlockingSocketStreamTests).
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Receive(Span<byte> buffer)
    {
        // The thread is about to wait for the network: the events of the frames before must not wait with it.
        HeldWakes.ReleaseOnThisThread();
        try
        {
            if (t_gather > TimeSpan.Zero)
            {
                var window = t_gather;
                t_gather = TimeSpan.Zero;
                if (_socket.Available == 0)
                {
                    Thread.Sleep(window);
                }
            }

            return _socket.Receive(buffer);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            throw new IOException($"Reading the socket failed: {exception.Message}", exception);
        }
    }

    private void Send(ReadOnlySpan<byte> buffer)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                buffer = buffer[_socket.Send(buffer)..];
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            throw new IOException($"Writing the socket failed: {exception.Message}", exception);
        }
    }
}
