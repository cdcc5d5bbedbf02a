using Microsoft.Extensions.Logging;
using PolyStream.Cli.UniverseMode;
using PolyStream.Rest;

namespace PolyStream.Cli.Daemon;

/// <summary>The daemon's universe report: progress, the first full sync and every market joining or leaving, as log events 6014–6017.</summary>
internal sealed class DaemonUniverseReport(ILogger logger) : IUniverseReport
{
    public void Progress(int synced, int markets, TimeSpan elapsed) => DaemonLog.UniverseProgress(logger, synced, markets, elapsed.TotalSeconds);

    public void Synced(int markets, int tokens, TimeSpan elapsed) => DaemonLog.UniverseSynced(logger, markets, tokens, elapsed.TotalSeconds);

    // The JSON log escapes control characters itself; the question is cleaned anyway for whoever tails it raw.
    public void Joined(GammaMarket market)
    {
        var question = TerminalText.Clean(market.Question);
        DaemonLog.MarketJoined(logger, market.ConditionId, question);
    }

    public void Left(GammaMarket market)
    {
        var question = TerminalText.Clean(market.Question);
        DaemonLog.MarketLeft(logger, market.ConditionId, question);
    }
}
