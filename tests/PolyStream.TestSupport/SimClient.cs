using System.Net.WebSockets;
using System.Text;

namespace PolyStream.TestSupport;

/// <summary>A raw WebSocket client for the simulator; every receive is bounded by a timeout.</summary>
internal sealed class SimClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();

    private SimClient()
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        _socket.Options.CollectHttpResponseDetails = true;
    }

    public ClientWebSocket Socket => _socket;

    public static async Task<SimClient> ConnectAsync(Uri url)
    {
        var client = new SimClient();
        using var cts = new CancellationTokenSource(Timeout);
        await client._socket.ConnectAsync(url, cts.Token);
        return client;
    }

    public async Task SendAsync(string text)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>Receives one whole message; a close frame comes back as <see langword="null"/>.</summary>
    public async Task<byte[]?> ReceiveBytesAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }

    public async Task<string?> ReceiveAsync() => await ReceiveBytesAsync() is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Sends PING and returns every message received before the PONG (server order makes it a barrier).</summary>
    public async Task<List<string>> DrainUntilPongAsync(int max = 100_000)
    {
        await SendAsync("PING");
        var received = new List<string>();
        for (var i = 0; i < max; i++)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException("closed before PONG");
            if (message == "PONG")
            {
                return received;
            }

            received.Add(message);
        }

        throw new InvalidOperationException("no PONG");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty, cts.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone; nothing to clean up.
            }
        }

        _socket.Dispose();
    }
}
