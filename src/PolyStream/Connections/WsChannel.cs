
namespace PolyStream.Connections;

/// <summary>Which venue WebSocket channel a <see cref="WsClient"/> speaks.</summary>
internal enum WsChannel
{
    /// <summary>The public market channel; subscriptions are token (asset) ids.</summary>
    Market,

    /// <summary>The authenticated user channel; subscriptions are condition (market) ids, none meaning all.</summary>
    User,
}
