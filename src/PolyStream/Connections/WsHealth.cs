using System.Net.WebSockets;

namespace PolyStream.Connections;

/// <summary>A point-in-time snapshot of one WebSocket connection's health (<see cref="Diagnostics.ShardHealth.Connection"/>, <see cref="Streamer.UserFeedHealth"/>).</summary>
public sealed record WsHealth
{
    /// <summary>The current state.</summary>
    public required WsState State { get; init; }

    /// <summary>The current (or last) connection's id; 0 before the first connect.</summary>
    public required long ConnectionId { get; init; }

    /// <summary>When the current connection opened, or <see langword="null"/> when not connected.</summary>
    public required DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>Reconnects scheduled since start.</summary>
    public required long ReconnectCount { get; init; }

    /// <summary>Time since the last frame of any kind, or <see langword="null"/> before the first.</summary>
    public required TimeSpan? LastFrameAge { get; init; }

    /// <summary>Time since the last data (JSON) frame, or <see langword="null"/> before the first.</summary>
    public required TimeSpan? LastDataFrameAge { get; init; }

    /// <summary>Frames received since start, PONGs and control text included.</summary>
    public required long FramesReceived { get; init; }

    /// <summary>Payload bytes received since start.</summary>
    public required long BytesReceived { get; init; }

    /// <summary>PONG replies received since start.</summary>
    public required long PongsReceived { get; init; }

    /// <summary>Frames dropped for exceeding <see cref="WsConfig.MaxFrameBytes"/>.</summary>
    public required long OversizedFrames { get; init; }

    /// <summary>Ids in the desired subscription set.</summary>
    public required int DesiredCount { get; init; }

    /// <summary>Why the last connection ended, or <see cref="WsDisconnectReason.None"/>.</summary>
    internal WsDisconnectReason LastDisconnectReason { get; init; }

    /// <summary>The last close code the server sent, or <see langword="null"/>.</summary>
    public required WebSocketCloseStatus? LastCloseStatus { get; init; }

    /// <summary>The last close reason text the server sent, or <see langword="null"/>.</summary>
    public required string? LastCloseDescription { get; init; }
}
