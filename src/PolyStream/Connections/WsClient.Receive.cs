using System.Buffers;
using System.Net.WebSockets;
using PolyStream.Threading;

namespace PolyStream.Connections;

/// <summary>The reader: whole frames into pooled buffers, handed synchronously to the sink; it never awaits a consumer.</summary>
internal sealed partial class WsClient
{
    private const int InitialBufferBytes = 64 * 1024;
    private const int KeepBufferBytes = 1024 * 1024;

    /// <summary>
    /// Reads the connection on a thread of its own until it ends. Over a <see cref="BlockingTransport"/> socket each
    /// receive completes on that thread, so a frame costs one wake-up of the reader and is handled where it woke.
    /// </summary>
    private Task<Outcome> StartReader(WsConnection connection) =>
        DedicatedThread.Run(() =>
        {
            BlockingSocketStream.ReadInPlaceOnThisThread();
            return ReceiveLoop(connection);
        });

    private Outcome ReceiveLoop(WsConnection connection)
    {
        var socket = connection.Socket;
        var max = _config.MaxFrameBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, max));
        using var heldWakes = HeldWakes.HoldOnThisThread(_time, _config.WakeHold);
        var gather = _config.ReceiveGather;
        var pace = new FramePace(_time);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    var limit = Math.Min(buffer.Length, max);
                    if (length == limit)
                    {
                        if (limit == max)
                        {
                            // Dropping the rest leaves books with an unknown gap; a fresh connection re-bases them.
                            Interlocked.Increment(ref _oversized);
                            WsLog.FrameTooLarge(_logger, connection.Id, length, max);
                            return new Outcome(connection.Id, WsDisconnectReason.FrameTooLarge, null, null, null, TimeSpan.Zero);
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, max));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                        limit = Math.Min(buffer.Length, max);
                    }

                    var receive = socket.ReceiveAsync(buffer.AsMemory(length, limit - length), connection.Token);
                    if (receive.IsCompleted)
                    {
                        result = receive.Result;
                    }
                    else
                    {
                        // Over any transport but the blocking one, the wait for the network is here.
                        HeldWakes.ReleaseOnThisThread();
                        result = receive.AsTask().GetAwaiter().GetResult();
                    }
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var status = socket.CloseStatus;
                    var description = socket.CloseStatusDescription;
                    WsLog.ServerClosed(_logger, connection.Id, status, description);
                    // The acknowledgement may wait up to its timeout; the events before the close must not.
                    HeldWakes.ReleaseOnThisThread();
                    AcknowledgeCloseAsync(connection).GetAwaiter().GetResult();
                    return new Outcome(connection.Id, WsDisconnectReason.ServerClosed, status, description, null, TimeSpan.Zero);
                }

                OnFrame(connection, buffer.AsSpan(0, length));
                heldWakes.FrameDone();
                if (gather > TimeSpan.Zero)
                {
                    pace.Frame(connection.LastFrameAt);
                    // At least two frames a window on average, or the sleep costs a wake-up of its own (FramePace).
                    if (pace.FasterThan(gather / 2))
                    {
                        BlockingSocketStream.GatherBeforeNextRead(gather);
                    }
                }

                if (buffer.Length > KeepBufferBytes)
                {
                    // Do not pin a giant initial-dump buffer for the life of the connection.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, max));
                }
            }
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            var failure = connection.Failure;
            if (failure != WsDisconnectReason.None)
            {
                return new Outcome(connection.Id, failure, null, null, null, TimeSpan.Zero);
            }

            if (connection.Token.IsCancellationRequested)
            {
                // Disposal: the run loop checks its own token and stops.
                return new Outcome(connection.Id, WsDisconnectReason.None, null, null, null, TimeSpan.Zero);
            }

            WsLog.ConnectionLost(_logger, connection.Id, exception.Message);
            return new Outcome(connection.Id, WsDisconnectReason.ConnectionLost, null, null, null, TimeSpan.Zero);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnFrame(WsConnection connection, ReadOnlySpan<byte> frame)
    {
        var now = _time.GetTimestamp();
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _bytes, frame.Length);
        connection.LastFrameAt = now;
        Volatile.Write(ref _lastFrameAt, now);
        var trimmed = frame.Trim(" \t\r\n"u8);
        if (trimmed.SequenceEqual("PONG"u8))
        {
            // Heartbeat replies prove liveness only; they are not data and never reach the sink.
            Interlocked.Increment(ref _pongs);
            return;
        }

        if (trimmed.Length > 0 && trimmed[0] is (byte)'{' or (byte)'[')
        {
            connection.LastDataAt = now;
            Volatile.Write(ref _lastDataAt, now);
        }

        try
        {
            _sink.OnFrame(frame, now, connection.Id);
        }
#pragma warning disable CA1031 // A faulty sink must not take the connection down (invariant 3).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WsLog.SinkFailed(_logger, exception);
        }
    }

    /// <summary>Answers the server's close frame so the socket ends cleanly; bounded, and failures are moot.</summary>
    private async Task AcknowledgeCloseAsync(WsConnection connection)
    {
        if (connection.Socket.State != WebSocketState.CloseReceived)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, timeout.Token);
            await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            // The server is going away either way.
        }
    }
}
