using PolyStream.Cli;
using PolyStream.Connections;

namespace PolyStream.Tests.Cli;

/// <summary>The line a terminal verb prints when a connection is replaced says why.</summary>
public sealed class ConnectionReportTests
{
    private static readonly Uri s_url = new("ws://127.0.0.1:8081/ws/market");

    [Fact]
    public void Reconnecting_AfterTheNoDataWatchdogRecycled_SaysNoDataCameThoughPingWasAnswered()
    {
        using var error = new StringWriter();
        var logger = new ConnectionReport(error, "stream", s_url).CreateLogger("PolyStream.Connections.WsClient");

        var (silence, delay) = (TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(0.7));
        WsLog.Stalled(logger, 3, silence, 400);
        WsLog.Reconnecting(logger, 1, delay, WsDisconnectReason.NoData);

        Assert.Equal($"polystream stream: connection to {s_url}: no data for 60 s though it answered PING, so it is replaced; attempt 1 in 0.7 s{Environment.NewLine}", error.ToString());
    }

    [Fact]
    public void Reconnecting_AfterAConnectFailure_SaysTheError()
    {
        using var error = new StringWriter();
        var logger = new ConnectionReport(error, "record", s_url).CreateLogger("PolyStream.Connections.WsClient");

        WsLog.ConnectFailed(logger, 1, "Connection refused");
        var delay = TimeSpan.FromSeconds(1.5);
        WsLog.Reconnecting(logger, 2, delay, WsDisconnectReason.ConnectFailed);

        Assert.Equal($"polystream record: connection to {s_url}: Connection refused; attempt 2 in 1.5 s{Environment.NewLine}", error.ToString());
    }
}
