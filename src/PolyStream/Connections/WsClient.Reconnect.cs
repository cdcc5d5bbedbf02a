using System.Net;
using System.Net.WebSockets;

namespace PolyStream.Connections;

/// <summary>The connection loop: connect, subscribe the desired set, read, and on any end wait out the backoff and start again.</summary>
internal sealed partial class WsClient
{
    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Outcome outcome;
            try
            {
                outcome = await ConnectAndReadAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (stopping.IsCancellationRequested && (exception is OperationCanceledException || IsTransient(exception)))
            {
                // Disposal interrupted a connect or a read; whatever it threw is not the caller's problem.
                break;
            }

            // A close we started ourselves (disposal) is not a reason to reconnect.
            if (stopping.IsCancellationRequested || Volatile.Read(ref _disposed) != 0)
            {
                break;
            }

            lock (_gate)
            {
                _lastReason = outcome.Reason;
                if (outcome.Reason == WsDisconnectReason.ServerClosed)
                {
                    _lastCloseStatus = outcome.CloseStatus;
                    _lastCloseDescription = outcome.CloseDescription;
                }
            }

            if (outcome.Reason == WsDisconnectReason.NoData)
            {
                Publish(new WsStateChange(WsState.Stalled, outcome.ConnectionId, WsDisconnectReason.NoData, 0, TimeSpan.Zero, null, null));
            }

            BackOffNoData(outcome);
            var delay = _backoff.NextAfter(outcome.ConnectedFor, Floor(outcome));
            var attempt = _backoff.Attempt;
            Interlocked.Increment(ref _reconnects);
            WsLog.Reconnecting(_logger, attempt, delay, outcome.Reason);
            Publish(new WsStateChange(WsState.Reconnecting, outcome.ConnectionId, outcome.Reason, attempt, delay, outcome.CloseStatus, outcome.CloseDescription));
            try
            {
                await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var connections = Volatile.Read(ref _connectionCount);
        WsLog.Closed(_logger, connections);
        Publish(new WsStateChange(WsState.Closed, connections, WsDisconnectReason.None, 0, TimeSpan.Zero, null, null));
    }

    /// <summary>The least wait the way the last connection ended demands: <c>Retry-After</c> on a 429, a long pause after a policy close.</summary>
    private TimeSpan Floor(Outcome outcome) => outcome switch
    {
        { Reason: WsDisconnectReason.RateLimited, RetryAfter: { } retryAfter } => retryAfter,
        { Reason: WsDisconnectReason.RateLimited } => _config.ReconnectBaseDelay,
        { Reason: WsDisconnectReason.ServerClosed, CloseStatus: WebSocketCloseStatus.PolicyViolation or WebSocketCloseStatus.MessageTooBig or WebSocketCloseStatus.InvalidMessageType } => _config.PolicyCloseDelay,
        _ => TimeSpan.Zero,
    };

    private async Task<Outcome> ConnectAndReadAsync(CancellationToken stopping)
    {
        var id = Interlocked.Increment(ref _connectionCount);
        Publish(new WsStateChange(WsState.Connecting, id, WsDisconnectReason.None, 0, TimeSpan.Zero, null, null));
        WsLog.Connecting(_logger, id, _config.Url);
        using var socket = new ClientWebSocket();

        // The venue's heartbeat is the text PING; protocol-level pings would only add noise.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var connection = new WsConnection(id, socket, cancellation);
        try
        {
            using (var timeout = new CancellationTokenSource(_config.ConnectTimeout, _time))
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, timeout.Token))
            {
                try
                {
                    await socket.ConnectAsync(_config.Url, BlockingTransport.Invoker, connect.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested && IsTransient(exception))
                {
                    if (socket.HttpStatusCode == HttpStatusCode.TooManyRequests)
                    {
                        var retryAfter = RetryAfterHeader.Parse(socket.HttpResponseHeaders, _time.GetUtcNow());
                        WsLog.RateLimited(_logger, id, retryAfter);
                        return new Outcome(id, WsDisconnectReason.RateLimited, null, null, retryAfter, TimeSpan.Zero);
                    }

                    WsLog.ConnectFailed(_logger, id, exception.Message);
                    return new Outcome(id, WsDisconnectReason.ConnectFailed, null, null, null, TimeSpan.Zero);
                }

                connection.ConnectedAt = _time.GetTimestamp();
                lock (_gate)
                {
                    _current = connection;
                    _connectedSince = _time.GetUtcNow();
                }

                WsLog.Connected(_logger, id, _config.Url);
                Publish(new WsStateChange(WsState.Connected, id, WsDisconnectReason.None, 0, TimeSpan.Zero, null, null));
                try
                {
                    await SubscribeAllAsync(connection, connect.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (!stopping.IsCancellationRequested && IsTransient(exception))
                {
                    WsLog.ConnectionLost(_logger, id, exception.Message);
                    return new Outcome(id, WsDisconnectReason.ConnectionLost, null, null, null, HealthyFor(connection, WsDisconnectReason.ConnectionLost));
                }
            }

            Publish(new WsStateChange(WsState.Subscribed, id, WsDisconnectReason.None, 0, TimeSpan.Zero, null, null));
            var keepAlive = KeepAliveAsync(new Watchdog(this, connection));
            Outcome outcome;
            try
            {
                outcome = await StartReader(connection).ConfigureAwait(false);
            }
            finally
            {
                await cancellation.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
            }

            return outcome with { ConnectedFor = HealthyFor(connection, outcome.Reason) };
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_current, connection))
                {
                    _current = null;
                    _connectedSince = null;
                }
            }
        }
    }

    /// <summary>Sends the whole desired set on a fresh socket: the initial form first, then <c>operation</c> chunks; the heartbeat may start after this.</summary>
    private async Task SubscribeAllAsync(WsConnection connection, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string[] ids;
            lock (_gate)
            {
                ids = [.. _desired];
            }

            var frames = SubscriptionFrames.Initial(_config.Channel, ids, _config.MaxIdsPerFrame, _config.CustomFeatureEnabled, _config.Credentials);
            foreach (var frame in frames)
            {
                await connection.Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }

            connection.Live.UnionWith(ids);
            connection.LiveCount = connection.Live.Count;
            connection.SubscribedAt = _time.GetTimestamp();
            connection.IsSubscribed = true;
            WsLog.Subscribed(_logger, connection.Id, ids.Length, frames.Count);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>How long the connection was actually useful: a stalled or silent one counts only up to its last data (or any) frame, so a freeze never resets the backoff.</summary>
    private TimeSpan HealthyFor(WsConnection connection, WsDisconnectReason reason)
    {
        var until = reason switch
        {
            WsDisconnectReason.NoData => connection.LastDataAt,
            WsDisconnectReason.PongTimeout => connection.LastFrameAt,
            _ => _time.GetTimestamp(),
        };
        return until == 0 || connection.ConnectedAt == 0 || until < connection.ConnectedAt
            ? TimeSpan.Zero
            : _time.GetElapsedTime(connection.ConnectedAt, until);
    }

    /// <summary>How one connection ended.</summary>
    private readonly record struct Outcome(
        long ConnectionId,
        WsDisconnectReason Reason,
        WebSocketCloseStatus? CloseStatus,
        string? CloseDescription,
        TimeSpan? RetryAfter,
        TimeSpan ConnectedFor);
}
