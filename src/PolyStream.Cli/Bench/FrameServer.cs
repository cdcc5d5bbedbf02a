using System.Net;
using System.Net.Sockets;

namespace PolyStream.Cli.Bench;

/// <summary>
/// The bench's default load: a market-channel WebSocket on loopback that serves a <see cref="FrameLoop"/> from
/// memory at a fixed rate of simulator steps, to every client that subscribes, on raw sockets (no web stack).
/// </summary>
internal sealed class FrameServer : IAsyncDisposable
{
    private readonly FrameLoop _loop;
    private readonly double _rate;
    private readonly LapStart _lapStart;

    // How long the laps wait for the rest of the loop's tokens after the first subscribe (a scale-out node takes its
    // slots within a second or two; a client that asks for a few tokens only starts after this).
    private static readonly TimeSpan s_lapStartGrace = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<FrameConnection> _connections = [];
    private Task? _accepting;

    /// <summary>Creates a server for <paramref name="loop"/> sent at <paramref name="rate"/> steps per second (infinity: as fast as the socket takes).</summary>
    public FrameServer(FrameLoop loop, double rate)
    {
        _loop = loop;
        _rate = rate;
        _lapStart = new LapStart(loop.Checkpoints.Assets, s_lapStartGrace);
    }

    /// <summary>Its market-channel URL.</summary>
    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ws/market");

    /// <summary>Listens and accepts clients until disposed.</summary>
    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(false);
        }

        foreach (var connection in _connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _listener.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
                var connection = new FrameConnection(socket, _loop, _rate, _lapStart);
                _connections.Add(connection);
                connection.Start();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }
    }
}
