using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using PolyStream.Threading;

namespace PolyStream.Cli.Bench;

/// <summary>
/// One client of the <see cref="FrameServer"/>: answers its <c>PING</c>s with <c>PONG</c>, hands its subscribes to
/// its <see cref="FrameFeed"/> (whose lap starts once the server's <see cref="LapStart"/> opens and never goes back), and sends the feed at the
/// offered rate, each due run of steps in one write from memory: no JSON is written while the bench measures.
/// </summary>
internal sealed class FrameConnection : IAsyncDisposable
{
    // Behind schedule (the two processes share two cores), the due steps go out in writes of at most 5 ms of the
    // schedule each; after a stall longer than 100 ms the rest of the delay moves the schedule back instead of
    // coming as one burst (a frame skipped would leave its book wrong).
    private static readonly TimeSpan s_writeLimit = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_catchUpLimit = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameLoop _loop;
    private readonly FrameFeed _feed;
    private readonly double _rate;
    private readonly LapStart _lapStart;
    private readonly Lock _sending = new();
    private readonly CancellationTokenSource _stopping = new();
    private long? _startedAt;
    private long _slippedSteps;
    private Task? _reader;
    private Task? _sender;

    public FrameConnection(Socket socket, FrameLoop loop, double rate, LapStart lapStart)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _loop = loop;
        _feed = new FrameFeed(loop);
        _rate = rate;
        _lapStart = lapStart;
    }

    /// <summary>Starts reading the client and sending; both block on the socket, so each has a thread of its own.</summary>
    public void Start()
    {
        _reader = DedicatedThread.Run(Read);
        _sender = DedicatedThread.Run(Send);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // Closing the socket ends a blocked read or write.
        _socket.Close();
        await Task.WhenAll(_reader ?? Task.CompletedTask, _sender ?? Task.CompletedTask).ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Read()
    {
        try
        {
            if (!WebSocketFraming.Accept(_stream))
            {
                return;
            }

            var buffer = new byte[64 * 1024];
            while (WebSocketFraming.TryRead(_stream, ref buffer, out var opcode, out var length))
            {
                if (opcode == WebSocketFraming.CloseOpcode)
                {
                    Write(WebSocketFraming.Close);
                    return;
                }

                var text = buffer.AsSpan(0, length).Trim(" \t\r\n"u8);
                if (opcode != WebSocketFraming.TextOpcode)
                {
                    continue;
                }

                if (text.SequenceEqual("PING"u8))
                {
                    Write(WebSocketFraming.Pong);
                }
                else if (text.Length > 0 && text[0] == (byte)'{')
                {
                    Subscribe(text);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
        finally
        {
            _stopping.Cancel();
        }
    }

    /// <summary>
    /// Applies a subscribe or unsubscribe. Subscribed tokens are answered with their books at once when the
    /// connection stands at a checkpoint (its first subscribe always does), else at the next one it reaches.
    /// </summary>
    private void Subscribe(ReadOnlySpan<byte> json)
    {
        using var message = JsonDocument.Parse(json.ToArray());
        var root = message.RootElement;
        var remove = root.TryGetProperty("operation", out var operation) && operation.ValueEquals("unsubscribe");
        if (!root.TryGetProperty("assets_ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var assetIds = ids.EnumerateArray().Select(id => id.ValueKind == JsonValueKind.String ? id.GetString() : null).OfType<string>().ToList();
        lock (_sending)
        {
            if (remove)
            {
                _feed.Unsubscribe(assetIds);
                return;
            }

            _feed.Subscribe(assetIds);
            _feed.SendUntil(_stream, _feed.SentSteps, writeSteps: 1);
            _lapStart.Subscribed(assetIds);
        }
    }

    private void Send()
    {
        var token = _stopping.Token;
        var writeSteps = double.IsPositiveInfinity(_rate) ? int.MaxValue : Math.Max(1, (long)(_rate * s_writeLimit.TotalSeconds));
        var catchUp = double.IsPositiveInfinity(_rate) ? long.MaxValue : Math.Max(1, (long)(_rate * s_catchUpLimit.TotalSeconds));
        try
        {
            while (!token.IsCancellationRequested)
            {
                bool sending;
                lock (_sending)
                {
                    if (_startedAt is null && _feed.IsStarted && _lapStart.IsOpen)
                    {
                        _startedAt = Stopwatch.GetTimestamp();
                    }

                    sending = _startedAt is not null;
                    if (_startedAt is { } startedAt)
                    {
                        SendDue(startedAt, writeSteps, catchUp);
                    }
                }

                // The runtime's timers tick every 4 ms here; a sleep of 1 ms keeps the load smooth (~1,000 writes a
                // second). At max rate only the wait for the lap's start sleeps.
                if (!sending || !double.IsPositiveInfinity(_rate))
                {
                    Thread.Sleep(1);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the server is stopping.
        }
    }

    /// <summary>Sends the steps due by now (a whole lap at a time at max rate), wrapping around the lap's end; never skips one.</summary>
    private void SendDue(long startedAt, long writeSteps, long catchUp)
    {
        var sent = _feed.SentSteps;
        var due = double.IsPositiveInfinity(_rate)
            ? sent + _loop.Steps
            : (long)(Stopwatch.GetElapsedTime(startedAt).TotalSeconds * _rate) - _slippedSteps;
        if (due - sent > catchUp)
        {
            _slippedSteps += due - sent - catchUp;
            due = sent + catchUp;
        }

        _feed.SendUntil(_stream, due, writeSteps);
    }

    private void Write(byte[] frame)
    {
        lock (_sending)
        {
            _stream.Write(frame);
        }
    }
}
