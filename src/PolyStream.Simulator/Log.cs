using Microsoft.Extensions.Logging;

namespace PolyStream.Simulator;

/// <summary>The simulator's log messages; event ids 5000–5999.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Simulator listening on {BaseUrl} with {Markets} markets (seed {Seed})")]
    public static partial void Started(ILogger logger, Uri baseUrl, int markets, int seed);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Simulator stopped after {Steps} steps and {Frames} frames")]
    public static partial void Stopped(ILogger logger, long steps, long frames);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened on {Channel}")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, PolyStream.Simulator.Server.SimulatorChannel channel);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "Connection {ConnectionId} rejected: {Reason}")]
    public static partial void ConnectionRejected(ILogger logger, long connectionId, string reason);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Warning, Message = "Connection {ConnectionId} closed as a slow consumer ({Queued} frames queued)")]
    public static partial void SlowConsumer(ILogger logger, long connectionId, int queued);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Fault injected: {Fault}")]
    public static partial void FaultInjected(ILogger logger, string fault);

    [LoggerMessage(EventId = 5040, Level = LogLevel.Information, Message = "Authentication rejected: {Reason}")]
    public static partial void AuthRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Error, Message = "The engine pump failed")]
    public static partial void PumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Debug, Message = "Connection {ConnectionId} ended with an error")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, Exception exception);
}
