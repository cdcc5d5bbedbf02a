using System.Globalization;
using PolyStream.Rest;

namespace PolyStream.Cli.UniverseMode;

/// <summary>A watching verb's universe report on stderr: <c>N/M markets synced</c>, then (unless the verb prints the changes itself) one line per market that joined or left.</summary>
internal sealed class UniverseConsoleReport(TextWriter error, string verb, bool changes) : IUniverseReport
{
    public void Progress(int synced, int markets, TimeSpan elapsed) =>
        Write(markets == 0
            ? string.Create(CultureInfo.InvariantCulture, $"discovering the active markets… ({elapsed.TotalSeconds:F0} s)")
            : string.Create(CultureInfo.InvariantCulture, $"{synced}/{markets} markets synced ({elapsed.TotalSeconds:F0} s)"));

    public void Synced(int markets, int tokens, TimeSpan elapsed) =>
        Write(string.Create(CultureInfo.InvariantCulture, $"{markets}/{markets} markets synced ({tokens} tokens) after {elapsed.TotalSeconds:F1} s; following listings and resolutions"));

    public void Joined(GammaMarket market)
    {
        if (changes)
        {
            Write($"listed {UniverseText.Joined(market)}");
        }
    }

    public void Left(GammaMarket market)
    {
        if (changes)
        {
            Write($"left {UniverseText.Left(market.Question, market.ConditionId)}");
        }
    }

    private void Write(string line) => error.WriteLine($"polystream {verb}: {line}");
}
