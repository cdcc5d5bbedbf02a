using Microsoft.Extensions.Logging;
using PolyStream.Protocol;

namespace PolyStream.Sharding;

/// <summary>Log messages of the streamer and its shards: 1xxx connections and shards, 3xxx books.</summary>
internal static partial class ShardingLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Streamer started: {Assets} assets over {Shards} shards")]
    public static partial void Started(ILogger logger, int assets, int shards);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Shard {Shard} re-bases all its books: {Reason}")]
    public static partial void ShardResync(ILogger logger, int shard, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Book {AssetId} keeps going stale: moved from shard {From} to shard {To}")]
    public static partial void Relocated(ILogger logger, string assetId, int from, int to);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Shard {Shard} recycles its connection: book {AssetId} stayed stale after a resubscribe and a move")]
    public static partial void Recycling(ILogger logger, int shard, string assetId);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Shard {Shard} carries no assets any more: its connection closes")]
    public static partial void Drained(ILogger logger, int shard);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Shard {Shard} went silent (no data, books proven stale): {Moved} of its books move to a new shard {To}")]
    public static partial void Split(ILogger logger, int shard, int moved, int to);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Shard {Shard} re-bases {Books} book(s) whose frames its full queue dropped")]
    public static partial void DroppedResync(ILogger logger, int shard, int books);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Book {AssetId} on shard {Shard} went stale (strike {Strikes}): a REST witness is newer; re-based and resubscribed")]
    public static partial void StaleBook(ILogger logger, string assetId, int shard, int strikes);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "User-channel frame rejected ({Total} so far): {Error}")]
    public static partial void UserFrameRejected(ILogger logger, long total, FrameParseError error);
}
