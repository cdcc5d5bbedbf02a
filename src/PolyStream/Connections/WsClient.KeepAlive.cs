using System.Net.WebSockets;

namespace PolyStream.Connections;

/// <summary>The heartbeat and watchdogs of one connection: text PING, PONG timeout, and the no-data watchdog.</summary>
internal sealed partial class WsClient
{
    private static readonly byte[] s_ping = "PING"u8.ToArray();

    /// <summary>Runs for one subscribed connection; ends it (through <see cref="WsConnection.Fail"/>) when silent too long.</summary>
    private async Task KeepAliveAsync(WsConnection connection)
    {
        using var timer = new PeriodicTimer(CheckPeriod(_config), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(connection.Token).ConfigureAwait(false))
            {
                var now = _time.GetTimestamp();
                var subscribedAt = connection.SubscribedAt;

                // Any frame proves the socket alive: a PONG, a control reply, or data.
                var silence = _time.GetElapsedTime(Math.Max(connection.LastFrameAt, subscribedAt), now);
                if (silence >= _config.PongTimeout)
                {
                    WsLog.PongTimeout(_logger, connection.Id, silence);
                    connection.Fail(WsDisconnectReason.PongTimeout);
                    return;
                }

                // PONGs do not count: the venue's silent freeze keeps answering PING while sending no data.
                if (WatchdogArmed(connection))
                {
                    var quiet = _time.GetElapsedTime(Math.Max(connection.LastDataAt, subscribedAt), now);
                    if (quiet >= _config.NoDataTimeout)
                    {
                        WsLog.Stalled(_logger, connection.Id, quiet, connection.LiveCount);
                        connection.Fail(WsDisconnectReason.NoData);
                        return;
                    }
                }

                if (_time.GetElapsedTime(Math.Max(connection.LastPingAt, subscribedAt), now) >= _config.PingInterval)
                {
                    await SendPingAsync(connection).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended; its reader reports why.
        }
    }

    /// <summary>How often the watchdogs look: a quarter of the shortest interval, so each fires at most 25% late.</summary>
    internal static TimeSpan CheckPeriod(WsConfig config)
    {
        var shortest = config.PingInterval < config.PongTimeout ? config.PingInterval : config.PongTimeout;
        if (config.NoDataTimeout > TimeSpan.Zero && config.NoDataTimeout < shortest)
        {
            shortest = config.NoDataTimeout;
        }

        var period = shortest / 4;
        return period < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : period;
    }

    private bool WatchdogArmed(WsConnection connection) =>
        _config.NoDataTimeout > TimeSpan.Zero && _config.Channel == WsChannel.Market && connection.LiveCount > 0;

    private async Task SendPingAsync(WsConnection connection)
    {
        await _sendLock.WaitAsync(connection.Token).ConfigureAwait(false);
        try
        {
            await connection.Socket.SendAsync(s_ping, WebSocketMessageType.Text, endOfMessage: true, connection.Token).ConfigureAwait(false);
            connection.LastPingAt = _time.GetTimestamp();
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
            // The reader sees the same failure and ends the connection.
            WsLog.PingFailed(_logger, connection.Id, exception.Message);
            connection.LastPingAt = _time.GetTimestamp();
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
