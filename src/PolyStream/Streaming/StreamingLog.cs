using Microsoft.Extensions.Logging;
using PolyStream.Protocol;

namespace PolyStream.Streaming;

/// <summary>Log messages of the streaming core: 21xx event-bus subscribers (20xx are the WebSocket subscriptions), 3xxx books.</summary>
internal static partial class StreamingLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Subscriber {Name} added (capacity {Capacity}, overflow {Overflow})")]
    public static partial void SubscriberAdded(ILogger logger, string name, int capacity, OverflowPolicy overflow);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Subscriber {Name} removed")]
    public static partial void SubscriberRemoved(ILogger logger, string name);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Subscriber {Name} disconnected: its queue of {Capacity} events was full")]
    public static partial void SubscriberDisconnected(ILogger logger, string name, int capacity);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Frame rejected ({Total} so far): {Error}")]
    public static partial void ParseFailure(ILogger logger, long total, FrameParseError error);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Hash mismatch on {AssetId} from {Source}: expected {Expected}, computed {Actual}")]
    public static partial void HashMismatch(ILogger logger, string assetId, WireEventKind source, BookHash expected, BookHash actual);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Book {AssetId} {OldState} -> {NewState} ({Reason}), epoch {Epoch}")]
    public static partial void StateChanged(ILogger logger, string assetId, BookTrustState oldState, BookTrustState newState, BookStateReason reason, long epoch);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Resync requested for {AssetId} ({Reason})")]
    public static partial void ResyncRequested(ILogger logger, string assetId, BookStateReason reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Books {AssetId} and {SiblingId} are not mirror images")]
    public static partial void MirrorMismatch(ILogger logger, string assetId, string siblingId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "The resync callback failed for {AssetId}; the book stays Resyncing")]
    public static partial void ResyncCallbackFailed(ILogger logger, string assetId, Exception exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Processing a {Kind} event failed; it was skipped and the books it touched marked suspect")]
    public static partial void EventFault(ILogger logger, WireEventKind? kind, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "A POST /books call for {Count} books failed: {Reason}")]
    public static partial void ResyncCallFailed(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Resync of {AssetId} falls back to a WebSocket resubscribe: {Reason}")]
    public static partial void ResyncFallback(ILogger logger, string assetId, string reason);
}
