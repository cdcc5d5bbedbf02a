using System.Text;
using PolyStream.Books;
using PolyStream.Recording;
using PolyStream.Simulator;

namespace PolyStream.IntegrationTests;

/// <summary>A recording served over the market-channel protocol reaches any WebSocket client frame for frame.</summary>
public sealed class RecordingServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polystream-serve-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Serve_RealCapture_ClientReceivesEveryFrameAndItsHashesVerify()
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "captures", "polypy_2025-10_v9.ndjson"), TestContext.Current.CancellationToken);
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory }))
        {
            for (var i = 0; i < lines.Length; i++)
            {
                writer.Append(Encoding.UTF8.GetBytes(lines[i]), 1_000_000 + (i * 1_000), 0);
            }
        }

        await using var server = new RecordingServer(new RecordingServerOptions { Recording = _directory, Speed = double.PositiveInfinity });
        await server.StartAsync(TestContext.Current.CancellationToken);
        await using var client = await SimClient.ConnectAsync(server.MarketWebSocketUrl);
        await client.SendAsync("""{"assets_ids":["1"],"type":"market","initial_dump":true}""");

        var auditor = new HashAuditor(new HashAuditOptions { HashVersion = BookHashVersion.V9 });
        for (var i = 0; i < lines.Length; i++)
        {
            var frame = await client.ReceiveAsync();
            Assert.Equal(lines[i], frame);
            auditor.Audit(Encoding.UTF8.GetBytes(frame!), i + 1);
        }

        await client.SendAsync("PING");
        Assert.Equal("PONG", await client.ReceiveAsync());
        Assert.Equal(3, auditor.Counts.Matched);
        Assert.Equal(0, auditor.Counts.Mismatched);
    }

    [Fact]
    public async Task Serve_PingBeforeSubscribe_ClosesWith1008LikeTheVenue()
    {
        await using (var writer = RecordingWriter.Start(new RecordingWriterOptions { Directory = _directory }))
        {
            writer.Append("[]"u8, 1, 0);
        }

        await using var server = new RecordingServer(new RecordingServerOptions { Recording = _directory });
        await server.StartAsync(TestContext.Current.CancellationToken);
        await using var client = await SimClient.ConnectAsync(server.MarketWebSocketUrl);

        await client.SendAsync("PING");

        Assert.Null(await client.ReceiveAsync());
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, client.Socket.CloseStatus);
    }
}
