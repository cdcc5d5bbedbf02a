using Microsoft.Extensions.Logging;

namespace PolyStream.Resync;

/// <summary>Log messages of the REST resync: 301x batched snapshot calls.</summary>
internal static partial class ResyncLog
{
    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "A POST /books call for {Count} books failed: {Reason}")]
    public static partial void ResyncCallFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Resync of {AssetId} falls back to a WebSocket resubscribe: {Reason}")]
    public static partial void ResyncFallback(ILogger logger, string assetId, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "A POST /books call for the metadata of {Count} new tokens failed: {Reason}; they wait Unsynced and are tried again")]
    public static partial void MetadataCallFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "The metadata of {AssetId} could not be fetched ({Reason}); its book waits Unsynced, next try in {Delay}")]
    public static partial void MetadataRetry(ILogger logger, string assetId, string reason, TimeSpan delay);
}
