using System.Globalization;
using PolyStream.Events;
using PolyStream.Rest;

namespace PolyStream.Cli.UniverseMode;

/// <summary>
/// Universe changes as lines for people: one per market that joined or left, with its question cleaned for the
/// terminal. Remembers each market's question from when it joined, since a removal names only the condition id.
/// </summary>
internal sealed class UniverseText
{
    private readonly Dictionary<string, string> _questions = new(StringComparer.Ordinal);

    /// <summary>A market that joined: <c>+ "question" (slug, 2 tokens)</c>.</summary>
    public static string Joined(GammaMarket market) =>
        TerminalText.Clean($"+ \"{market.Question}\" ({market.Slug}, {market.ClobTokenIds.Length} tokens)");

    /// <summary>A market that left: <c>- "question" (condition id)</c>.</summary>
    public static string Left(string question, string conditionId) =>
        TerminalText.Clean($"- \"{question}\" ({AssetResolver.Short(conditionId)})");

    /// <summary>The lines of <paramref name="change"/>: one summary for the first discovery (it adds every market at once), else one per market.</summary>
    public IEnumerable<string> Lines(UniverseChanged change)
    {
        var head = $"{StreamEventJson.TypeName(change.Kind),-20} {change.Reason.ToString().ToLowerInvariant(),-12}";
        foreach (var market in change.Added)
        {
            _questions[market.ConditionId] = market.Question;
        }

        if (change.Reason == UniverseChangeReason.Discovered)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{head} {change.Markets} markets, {change.Tokens} tokens");
            yield break;
        }

        foreach (var market in change.Added)
        {
            yield return $"{head} {Joined(market)}";
        }

        foreach (var conditionId in change.Removed)
        {
            yield return $"{head} {Left(_questions.Remove(conditionId, out var question) ? question : "?", conditionId)}";
        }
    }
}
