using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace PolyStream.Connections;

/// <summary>The WebSocket client's log messages: 1xxx connection, 2xxx subscription. Credentials are never arguments.</summary>
internal static partial class WsLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Connection {ConnectionId} connecting to {Url}")]
    public static partial void Connecting(ILogger logger, long connectionId, Uri url);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connection {ConnectionId} open to {Url}")]
    public static partial void Connected(ILogger logger, long connectionId, Uri url);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Connection {ConnectionId} could not connect: {Error}")]
    public static partial void ConnectFailed(ILogger logger, long connectionId, string error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Connection {ConnectionId} rejected with HTTP 429; Retry-After {RetryAfter}")]
    public static partial void RateLimited(ILogger logger, long connectionId, TimeSpan? retryAfter);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Connection {ConnectionId} closed by the server: {CloseStatus} {CloseDescription}")]
    public static partial void ServerClosed(ILogger logger, long connectionId, WebSocketCloseStatus? closeStatus, string? closeDescription);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Connection {ConnectionId} lost: {Error}")]
    public static partial void ConnectionLost(ILogger logger, long connectionId, string error);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Connection {ConnectionId} silent for {Silence}: declared dead")]
    public static partial void PongTimeout(ILogger logger, long connectionId, TimeSpan silence);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Connection {ConnectionId} stalled: no data for {Silence} with {Assets} subscribed ids; recycling")]
    public static partial void Stalled(ILogger logger, long connectionId, TimeSpan silence, int assets);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Connection {ConnectionId} dropped a {Bytes}+ byte frame over the {MaxBytes} byte limit; recycling")]
    public static partial void FrameTooLarge(ILogger logger, long connectionId, long bytes, int maxBytes);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Reconnect attempt {Attempt} in {Delay} after {Reason}")]
    public static partial void Reconnecting(ILogger logger, int attempt, TimeSpan delay, WsDisconnectReason reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Client closed after {Connections} connections")]
    public static partial void Closed(ILogger logger, long connections);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, Message = "Connection {ConnectionId} failed to send a PING: {Error}")]
    public static partial void PingFailed(ILogger logger, long connectionId, string error);

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Connection {ConnectionId} subscribed {Ids} ids in {Frames} frames")]
    public static partial void Subscribed(ILogger logger, long connectionId, int ids, int frames);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Connection {ConnectionId} sent {Operation} for {Ids} ids in {Frames} frames")]
    public static partial void UpdateSent(ILogger logger, long connectionId, string operation, int ids, int frames);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Connection {ConnectionId} could not send a subscription change; it is resent on reconnect: {Error}")]
    public static partial void UpdateFailed(ILogger logger, long connectionId, string error);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "The frame sink threw; the frame or state change was skipped")]
    public static partial void SinkFailed(ILogger logger, Exception exception);
}
