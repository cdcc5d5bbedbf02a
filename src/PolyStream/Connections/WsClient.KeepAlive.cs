using System.Net.WebSockets;
using System.Threading.Channels;

namespace PolyStream.Connections;

/// <summary>The heartbeat and watchdogs of one connection: text PING, PONG timeout, and the no-data watchdog.</summary>
internal sealed partial class WsClient
{
    private static readonly byte[] s_ping = "PING"u8.ToArray();

    /// <summary>
    /// Runs for one subscribed connection: its watchdogs are checked on the shared tick (no timer of its own),
    /// and this task wakes only to send a PING that is due. The watchdogs end the connection (through
    /// <see cref="WsConnection.Fail"/>) when it is silent too long.
    /// </summary>
    private async Task KeepAliveAsync(Watchdog watchdog)
    {
        _ticker.Register(watchdog);
        try
        {
            while (true)
            {
                await watchdog.PingDue.Reader.ReadAsync(watchdog.Connection.Token).ConfigureAwait(false);
                await SendPingAsync(watchdog.Connection).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended; its reader reports why.
        }
        finally
        {
            _ticker.Unregister(watchdog);
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

    /// <summary>The most the no-data watchdog's wait grows to, in <see cref="WsConfig.NoDataTimeout"/>s.</summary>
    private const int MaxNoDataBackoff = 8;

    /// <summary>
    /// How long the no-data watchdog waits on this connection: <see cref="WsConfig.NoDataTimeout"/>, doubled for each
    /// connection before it in a row that went quiet without delivering data for <see cref="WsConfig.StableAfter"/>, up
    /// to <see cref="MaxNoDataBackoff"/> times. A venue with nothing to say is not a frozen one, and each recycle costs
    /// a full resubscribe: every book's snapshot and a REST resync of each. A frozen connection is still recycled,
    /// less often; its books' staleness witnesses find them stale meanwhile whenever the venue's books move.
    /// </summary>
    private TimeSpan NoDataLimit() => _config.NoDataTimeout * Volatile.Read(ref _noDataBackoff);

    /// <summary>After a connection ends: one that went quiet early doubles the next one's wait; any other ending starts again from 1 ×.</summary>
    private void BackOffNoData(Outcome outcome)
    {
        var quiet = outcome.Reason == WsDisconnectReason.NoData && outcome.ConnectedFor < _config.StableAfter;
        Volatile.Write(ref _noDataBackoff, quiet ? Math.Min(_noDataBackoff * 2, MaxNoDataBackoff) : 1);
    }

    private bool WatchdogArmed(WsConnection connection) =>
        _config.NoDataTimeout > TimeSpan.Zero && _config.Channel == WsChannel.Market && connection.LiveCount > 0;

    /// <summary>One tick's look at a connection: ends it when silent too long, or asks its keep-alive task for a PING.</summary>
    private void Check(Watchdog watchdog, long now)
    {
        var connection = watchdog.Connection;
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
            if (quiet >= NoDataLimit())
            {
                WsLog.Stalled(_logger, connection.Id, quiet, connection.LiveCount);
                connection.Fail(WsDisconnectReason.NoData);
                return;
            }
        }

        if (_time.GetElapsedTime(Math.Max(connection.LastPingAt, subscribedAt), now) >= _config.PingInterval)
        {
            watchdog.PingDue.Writer.TryWrite(true);
        }
    }

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

    /// <summary>A subscribed connection's watchdogs on the shared tick, and the signal that a PING is due.</summary>
    private sealed class Watchdog(WsClient client, WsConnection connection) : ITickHandler
    {
        public WsConnection Connection { get; } = connection;

        /// <summary>Written by a tick that finds a PING due; holds at most one, so a slow send never queues a burst of PINGs behind it.</summary>
        public Channel<bool> PingDue { get; } = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

        public void OnTick(long now) => client.Check(this, now);
    }
}
