using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PolyStream.Recording;
using PolyStream.Simulator.Server;

namespace PolyStream.Simulator;

/// <summary>
/// Serves a recording over the market-channel protocol, so any client can consume it as if it were
/// the venue: after a subscribe, every recorded frame is sent in order at the chosen pace; <c>PING</c>
/// gets <c>PONG</c>, and a <c>PING</c> before any subscribe closes the socket with 1008, as the venue does.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly RecordingServerOptions _options;
    private WebApplication? _app;

    /// <summary>Creates a server; nothing listens until <see cref="StartAsync"/>.</summary>
    public RecordingServer(RecordingServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The market-channel URL, e.g. <c>ws://127.0.0.1:8081/ws/market</c>.</summary>
    /// <exception cref="InvalidOperationException">The server has not started.</exception>
    public Uri MarketWebSocketUrl { get; private set; } = null!;

    /// <summary>Checks the recording opens, then listens.</summary>
    /// <exception cref="FileNotFoundException">There is no recording at the path.</exception>
    /// <exception cref="ArgumentException">The host is reachable from other machines without <see cref="RecordingServerOptions.AllowRemote"/> and a token.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        RecordingReader.Open(_options.Recording);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        var address = RemoteAccess.Address(_options.Host, _options.AllowRemote, _options.AccessToken);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, _options.Port));
        var app = builder.Build();
        RemoteAccess.RequireToken(app, _options.AccessToken);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/ws/market", (RequestDelegate)ServeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var http = new Uri(app.Urls.First());
        MarketWebSocketUrl = new UriBuilder(http) { Scheme = "ws", Path = "/ws/market" }.Uri;
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private async Task ServeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var sending = new SemaphoreSlim(1, 1);
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        Task? replay = null;
        var buffer = new byte[64 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, closing.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, received.Count).Trim();
                if (text == "PING")
                {
                    if (replay is null)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "invalid subscription payload", closing.Token).ConfigureAwait(false);
                        break;
                    }

                    await SendAsync(socket, sending, "PONG"u8.ToArray(), closing.Token).ConfigureAwait(false);
                }
                else if (replay is null && text.StartsWith('{'))
                {
                    replay = ReplayAsync(socket, sending, closing.Token);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            await closing.CancelAsync().ConfigureAwait(false);
            if (replay is not null)
            {
                await replay.ConfigureAwait(false);
            }
        }
    }

    private async Task ReplayAsync(WebSocket socket, SemaphoreSlim sending, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in RecordingReader.Open(_options.Recording).ReadFramesPacedAsync(_options.Speed, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                // A stored REST summary was never on the WebSocket.
                if (!frame.IsRestBook)
                {
                    await SendAsync(socket, sending, frame.Bytes, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away or the server is stopping.
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sending, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        // One send at a time: replayed frames and PONG replies share the socket.
        await sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sending.Release();
        }
    }
}
