using Microsoft.Extensions.Logging;

namespace PolyStream.Cli.Daemon;

/// <summary>The daemon's log messages; event ids 6000–6099.</summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Streaming {Assets} assets from {Host} over {MarketUrl}")]
    public static partial void Starting(ILogger logger, int assets, string host, Uri marketUrl);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Status: {Synced}/{Books} books synced, {Shards} shards ({Connected} up), {Checked} hashes checked, {Mismatched} mismatched, {Resyncs} resyncs, {Reconnects} reconnects")]
    public static partial void Status(ILogger logger, int synced, int books, int shards, int connected, long @checked, long mismatched, long resyncs, long reconnects);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Serving /metrics and /health at {Url}")]
    public static partial void StatusServing(ILogger logger, Uri url);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "The checkpoint {Path} could not be used: {Reason}")]
    public static partial void CheckpointFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Scale-out: node {Node} shares {Assets} assets over {Url}")]
    public static partial void ScaleOut(ILogger logger, string node, int assets, string url);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "Scale-out status: {Slots} slots, {Owned} assets owned, {Published} events published ({Retried} retried, {Rebased} re-based), {Snapshots} snapshots written")]
    public static partial void ScaleOutStatus(ILogger logger, int slots, int owned, long published, long retried, long rebased, long snapshots);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Stopped cleanly")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "The daemon cannot start: {Reason}")]
    public static partial void CannotStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Warning, Message = "Not connected to {MarketUrl} yet; still retrying (connection events 1002 and 1009 say why and when)")]
    public static partial void NotConnected(ILogger logger, Uri marketUrl);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "{Count} book(s) not synced, so /health says degraded: {Books}")]
    public static partial void NotSynced(ILogger logger, int count, string books);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Left out: {Reason}")]
    public static partial void Left(ILogger logger, string reason);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Critical, Message = "The daemon failed")]
    public static partial void Failed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "The recording in {Directory} stopped: {Reason}; the daemon stops")]
    public static partial void RecordingStopped(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "Universe mode: following {Universe} from {Host}")]
    public static partial void UniverseStarting(ILogger logger, string universe, string host);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Information, Message = "Universe: {Synced}/{Markets} markets synced after {Seconds:F0} s")]
    public static partial void UniverseProgress(ILogger logger, int synced, int markets, double seconds);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Information, Message = "Universe synced: {Markets} markets ({Tokens} tokens) after {Seconds:F1} s; following listings and resolutions")]
    public static partial void UniverseSynced(ILogger logger, int markets, int tokens, double seconds);

    [LoggerMessage(EventId = 6016, Level = LogLevel.Information, Message = "Universe: market {ConditionId} joined: {Question}")]
    public static partial void MarketJoined(ILogger logger, string conditionId, string question);

    [LoggerMessage(EventId = 6017, Level = LogLevel.Information, Message = "Universe: market {ConditionId} left (resolved or closed): {Question}")]
    public static partial void MarketLeft(ILogger logger, string conditionId, string question);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Information, Message = "Scale-out: node {Node} shares the universe ({Markets} markets discovered so far) by market over {Url}")]
    public static partial void ScaleOutUniverse(ILogger logger, string node, int markets, string url);
}
