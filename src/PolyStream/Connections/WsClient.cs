using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolyStream.Protocol;

namespace PolyStream.Connections;

/// <summary>
/// One WebSocket connection to the market or user channel that keeps itself alive: heartbeat,
/// PONG timeout, no-data watchdog, reconnect with backoff, and resubscription of the desired set.
/// Frames and state changes go to an <see cref="IFrameSink"/> on the reader loop.
/// </summary>
internal sealed partial class WsClient : IAsyncDisposable
{
    private readonly WsConfig _config;
    private readonly IFrameSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly SharedTicker _ticker;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _desired = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private WsConnection? _current;
    private Task? _run;
    private int _disposed;
    private WsState _state;
    private long _connectionCount;
    private long _reconnects;
    private long _frames;
    private long _bytes;
    private long _pongs;
    private long _oversized;
    private long _lastFrameAt;
    private long _lastDataAt;

    // The no-data watchdog's wait, in NoDataTimeouts: doubled by each connection in a row that went quiet with
    // little more than its subscribe's snapshots (see NoDataLimit).
    private int _noDataBackoff = 1;
    private DateTimeOffset? _connectedSince;
    private WsDisconnectReason _lastReason;
    private WebSocketCloseStatus? _lastCloseStatus;
    private string? _lastCloseDescription;

    /// <summary>Creates a client; nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="config">The connection settings.</param>
    /// <param name="sink">Receives frames and state changes; it must not block.</param>
    /// <param name="logger">Where the client logs; <see langword="null"/> for none.</param>
    /// <param name="ticker">The tick its watchdogs share with other connections (its period at most <see cref="CheckPeriod"/>); <see langword="null"/> for one of its own.</param>
    /// <exception cref="ArgumentException">The user channel has no credentials or would send them over plain <c>ws://</c> to another machine, or a setting is out of range.</exception>
    public WsClient(WsConfig config, IFrameSink sink, ILogger? logger = null, SharedTicker? ticker = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(config.Url);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(config.PingInterval, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(config.PongTimeout, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThan(config.NoDataTimeout, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(config.ConnectTimeout, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThan(config.StableAfter, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThan(config.PolicyCloseDelay, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(config.MaxIdsPerFrame, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThan(config.WakeHold, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(config.WakeHold, TimeSpan.FromMilliseconds(10), nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThan(config.ReceiveGather, TimeSpan.Zero, nameof(config));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(config.ReceiveGather, WsConfig.MaxReceiveGather, nameof(config));
        ArgumentOutOfRangeException.ThrowIfLessThan(config.MaxFrameBytes, 1024, nameof(config));
        if (config.Channel == WsChannel.User && config.Credentials is null)
        {
            throw new ArgumentException("The user channel needs WsConfig.Credentials.", nameof(config));
        }

        if (config.Credentials is not null && !TransportSecurity.IsSafe(config.Url))
        {
            // The subscribe frame carries the API secret and passphrase: never in plain text off this machine, opt-in or not.
            throw new ArgumentException($"{Redaction.Url(config.Url.ToString())} is plain text to another machine: the user channel's credentials need wss://.", nameof(config));
        }

        _config = config;
        _sink = sink;
        _logger = logger ?? NullLogger.Instance;
        _time = config.TimeProvider ?? TimeProvider.System;
        _backoff = new ReconnectBackoff(config.ReconnectBaseDelay, config.ReconnectMaxDelay, config.StableAfter);
        if (ticker is not null && ticker.Period > CheckPeriod(config))
        {
            throw new ArgumentException($"The shared tick ({ticker.Period}) is slower than this connection's watchdogs need ({CheckPeriod(config)}).", nameof(ticker));
        }

        _ticker = ticker ?? new SharedTicker(CheckPeriod(config), _time);
    }

    /// <summary>The current state.</summary>
    public WsState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>A snapshot of the desired subscription set (token ids, or condition ids on the user channel).</summary>
    public IReadOnlyCollection<string> DesiredSubscriptions
    {
        get
        {
            lock (_gate)
            {
                return [.. _desired];
            }
        }
    }

    /// <summary>A point-in-time health snapshot.</summary>
    public WsHealth Health
    {
        get
        {
            var lastFrame = Volatile.Read(ref _lastFrameAt);
            var lastData = Volatile.Read(ref _lastDataAt);
            lock (_gate)
            {
                return new WsHealth
                {
                    State = _state,
                    ConnectionId = Volatile.Read(ref _connectionCount),
                    ConnectedSince = _connectedSince,
                    ReconnectCount = Volatile.Read(ref _reconnects),
                    LastFrameAge = lastFrame == 0 ? null : _time.GetElapsedTime(lastFrame),
                    LastDataFrameAge = lastData == 0 ? null : _time.GetElapsedTime(lastData),
                    FramesReceived = Volatile.Read(ref _frames),
                    BytesReceived = Volatile.Read(ref _bytes),
                    PongsReceived = Volatile.Read(ref _pongs),
                    OversizedFrames = Volatile.Read(ref _oversized),
                    DesiredCount = _desired.Count,
                    LastDisconnectReason = _lastReason,
                    LastCloseStatus = _lastCloseStatus,
                    LastCloseDescription = _lastCloseDescription,
                };
            }
        }
    }

    /// <summary>Starts the connection loop and returns at once; connection faults surface as state changes, never as exceptions.</summary>
    /// <exception cref="InvalidOperationException">The client was already started.</exception>
    public ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_run is not null)
            {
                throw new InvalidOperationException("The client is already started.");
            }

            var stopping = _stopping.Token;
            _run = Task.Run(() => RunAsync(stopping), CancellationToken.None);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Adds ids to the desired set and, when subscribed, sends them now (≤ <see cref="WsConfig.MaxIdsPerFrame"/> per frame); a failed send is retried by the next reconnect.</summary>
    public ValueTask SubscribeAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            foreach (var id in ids)
            {
                ArgumentException.ThrowIfNullOrWhiteSpace(id, nameof(ids));
                _desired.Add(id);
            }
        }

        return SyncSubscriptionsAsync(cancellationToken);
    }

    /// <summary>
    /// Ends the current connection so a fresh one opens and resubscribes the desired set, for a socket that
    /// looks alive but serves stale data; does nothing while no connection is open.
    /// </summary>
    public void Recycle()
    {
        WsConnection? connection;
        lock (_gate)
        {
            connection = _current;
        }

        connection?.Fail(WsDisconnectReason.Recycled);
    }

    /// <summary>Removes ids from the desired set and, when subscribed, sends the unsubscribe now; a failed send is settled by the next reconnect.</summary>
    public ValueTask UnsubscribeAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (id is not null)
                {
                    _desired.Remove(id);
                }
            }
        }

        return SyncSubscriptionsAsync(cancellationToken);
    }

    /// <summary>Closes the socket with a close handshake (bounded to 1 s, then aborted), stops the loop and any backoff wait, reports <see cref="WsState.Closed"/>, and releases resources; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await CloseGracefullyAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task? run;
        lock (_gate)
        {
            run = _run;
        }

        if (run is not null)
        {
            await run.ConfigureAwait(false);
        }
        else
        {
            Publish(new WsStateChange(WsState.Closed, 0, WsDisconnectReason.None, 0, TimeSpan.Zero, null, null));
        }

        _stopping.Dispose();
        _sendLock.Dispose();
    }

    /// <summary>Sends a normal close frame on the open socket so the venue sees a clean goodbye; failures only mean the socket is aborted instead.</summary>
    private async Task CloseGracefullyAsync()
    {
        WsConnection? connection;
        lock (_gate)
        {
            connection = _current;
        }

        if (connection is null || connection.Socket.State != WebSocketState.Open)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception exception) when (IsTransient(exception))
        {
            // Aborting is the fallback; the loop is cancelled next either way.
        }
    }

    /// <summary>Sends the difference between the desired set and what the current socket was sent, under the send lock.</summary>
    private async ValueTask SyncSubscriptionsAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            WsConnection? connection;
            List<string> added = [];
            List<string> removed = [];
            lock (_gate)
            {
                connection = _current;
                if (connection is null || !connection.IsSubscribed)
                {
                    return;
                }

                foreach (var id in _desired)
                {
                    if (!connection.Live.Contains(id))
                    {
                        added.Add(id);
                    }
                }

                foreach (var id in connection.Live)
                {
                    if (!_desired.Contains(id))
                    {
                        removed.Add(id);
                    }
                }
            }

            try
            {
                await SendUpdateAsync(connection, subscribe: true, added).ConfigureAwait(false);
                await SendUpdateAsync(connection, subscribe: false, removed).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                WsLog.UpdateFailed(_logger, connection.Id, exception.Message);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async ValueTask SendUpdateAsync(WsConnection connection, bool subscribe, List<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var frames = SubscriptionFrames.Update(_config.Channel, subscribe, ids, _config.MaxIdsPerFrame, _config.CustomFeatureEnabled);
        foreach (var frame in frames)
        {
            await connection.Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, connection.Token).ConfigureAwait(false);
        }

        foreach (var id in ids)
        {
            if (subscribe)
            {
                connection.Live.Add(id);
            }
            else
            {
                connection.Live.Remove(id);
            }
        }

        connection.LiveCount = connection.Live.Count;
        WsLog.UpdateSent(_logger, connection.Id, subscribe ? "subscribe" : "unsubscribe", ids.Count, frames.Count);
    }

    /// <summary>Records and reports a state change; the sink's exceptions are logged, never allowed to stop the loop.</summary>
    private void Publish(WsStateChange change)
    {
        lock (_gate)
        {
            _state = change.State;
        }

        try
        {
            _sink.OnStateChanged(change);
        }
#pragma warning disable CA1031 // A faulty sink must not take the connection down (invariant 3).
        catch (Exception exception)
#pragma warning restore CA1031
        {
            WsLog.SinkFailed(_logger, exception);
        }
    }

    private static bool IsTransient(Exception exception) =>
        exception is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException or InvalidOperationException;
}
