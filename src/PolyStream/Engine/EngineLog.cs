using Microsoft.Extensions.Logging;
using PolyStream.Events;
using PolyStream.Protocol;

namespace PolyStream.Engine;

/// <summary>Log messages of the book engine: 30xx books, hashes and trust.</summary>
internal static partial class EngineLog
{
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

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Book {AssetId} is crossed or locked at epoch {Epoch} seq {Seq}")]
    public static partial void BookCrossed(ILogger logger, string assetId, long epoch, long seq);
}
