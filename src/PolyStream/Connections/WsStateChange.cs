using System.Net.WebSockets;

namespace PolyStream.Connections;

/// <summary>One transition of a <see cref="WsClient"/>, handed to <see cref="IFrameSink.OnStateChanged"/>.</summary>
/// <param name="State">The state entered.</param>
/// <param name="ConnectionId">The connection the transition concerns (counts from 1 per client).</param>
/// <param name="Reason">Why the previous connection ended; <see cref="WsDisconnectReason.None"/> unless reconnecting, stalled or closed after a failure.</param>
/// <param name="Attempt">The reconnect attempt (from 1) when <see cref="WsState.Reconnecting"/>, else 0.</param>
/// <param name="Delay">The wait before the next connect when <see cref="WsState.Reconnecting"/>, else zero.</param>
/// <param name="CloseStatus">The server's close code when it sent one, else <see langword="null"/>.</param>
/// <param name="CloseDescription">The server's close reason text, or <see langword="null"/>.</param>
internal sealed record WsStateChange(
    WsState State,
    long ConnectionId,
    WsDisconnectReason Reason,
    int Attempt,
    TimeSpan Delay,
    WebSocketCloseStatus? CloseStatus,
    string? CloseDescription);
