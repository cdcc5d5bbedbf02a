using Microsoft.Extensions.Logging;
using PolyStream.Events;

namespace PolyStream.Universe;

/// <summary>Log messages of universe mode: 22xx, with subscriptions.</summary>
internal static partial class UniverseLog
{
    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Universe discovery read {Markets} open markets in {Pages} Gamma pages")]
    public static partial void Discovered(ILogger logger, int markets, int pages);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Universe {Reason}: +{Added} -{Removed} markets; {Markets} markets, {Tokens} tokens carried")]
    public static partial void Changed(ILogger logger, UniverseChangeReason reason, int added, int removed, int markets, int tokens);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "A listing was ignored: its condition id or token ids are not valid")]
    public static partial void InvalidListing(ILogger logger);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Universe re-discovery failed; the next one is in {Interval}: {Error}")]
    public static partial void RediscoveryFailed(ILogger logger, TimeSpan interval, string error);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "Listed market {Market} could not be looked up on Gamma for the filter; a re-discovery will find it: {Error}")]
    public static partial void LookupFailed(ILogger logger, string market, string error);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Error, Message = "A universe change failed and was skipped; a re-discovery reconciles it")]
    public static partial void ChangeFailed(ILogger logger, Exception exception);
}
