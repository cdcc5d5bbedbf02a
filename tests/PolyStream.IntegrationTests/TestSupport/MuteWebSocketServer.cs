using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PolyStream.IntegrationTests.TestSupport;

/// <summary>A loopback WebSocket server that accepts and reads but never sends a byte: a connection dead in one direction.</summary>
internal sealed class MuteWebSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MuteWebSocketServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public Signals<string> Received { get; } = new();

    public static async Task<MuteWebSocketServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        MuteWebSocketServer? server = null;
        app.Map("/ws/market", (RequestDelegate)(async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                    {
                        server?.Received.Add($"<close {socket.CloseStatus}>");
                        return;
                    }

                    server?.Received.Add(System.Text.Encoding.UTF8.GetString(buffer, 0, result.Count));
                }
            }
            catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException)
            {
                // The client gave up on us, as it should.
            }
        }));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var bound = app.Services.GetService(typeof(IServer)) is IServer s ? s.Features.Get<IServerAddressesFeature>()?.Addresses.First() : null;
        var url = new UriBuilder(new Uri(bound!)) { Scheme = "ws", Path = "/ws/market" }.Uri;
        server = new MuteWebSocketServer(app, url);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
