using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PolyStream.Universe;

namespace PolyStream.Cli.UniverseMode;

/// <summary>
/// <c>--filter KEY=VALUE</c>, repeatable: which active markets <c>--all</c> follows. Keys are <c>text</c> (in the slug or
/// question), <c>tag</c>, <c>neg-risk</c> (true/false), <c>min-volume</c> and <c>min-liquidity</c>; every one given must hold.
/// </summary>
internal static class UniverseFilterOption
{
    /// <summary>The keys, in the order help and errors list them.</summary>
    public const string Keys = "text, tag, neg-risk, min-volume, min-liquidity";

    public static Option<UniverseFilter?> Create() => new("--filter")
    {
        Description = $"With --all: follow only the markets that pass KEY=VALUE (repeatable, all must hold); keys {Keys}. A market listed live has no volume or liquidity yet, so min-volume and min-liquidity leave it out.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = Parse,
    };

    /// <summary>The filter the specs describe, or the one sentence saying what is wrong with them.</summary>
    public static (UniverseFilter? Filter, string? Error) Parse(IEnumerable<string> specs)
    {
        var filter = UniverseFilter.All;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var at = spec.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                return (null, $"--filter takes KEY=VALUE such as text=bitcoin or min-volume=10000, not '{spec}'.");
            }

            var (key, value) = (spec[..at].Trim().ToLowerInvariant(), spec[(at + 1)..].Trim());
            if (!seen.Add(key))
            {
                return (null, $"--filter {key} is given twice; give each key once.");
            }

            string? error = null;
            switch (key)
            {
                case "text" or "tag" when value.Length == 0:
                    error = $"--filter {key}= needs some text.";
                    break;
                case "text":
                    filter = filter with { Text = value };
                    break;
                case "tag":
                    filter = filter with { Tag = value };
                    break;
                case "neg-risk" when bool.TryParse(value, out var negRisk):
                    filter = filter with { NegRisk = negRisk };
                    break;
                case "neg-risk":
                    error = $"--filter neg-risk must be true or false, not '{value}'.";
                    break;
                case "min-volume" or "min-liquidity" when Amount(value) is null:
                    error = $"--filter {key} must be an amount of 0 or more such as 10000, not '{value}'.";
                    break;
                case "min-volume":
                    filter = filter with { MinVolume = Amount(value) };
                    break;
                case "min-liquidity":
                    filter = filter with { MinLiquidity = Amount(value) };
                    break;
                default:
                    error = $"--filter key '{key}' is not one of {Keys}.";
                    break;
            }

            if (error is not null)
            {
                return (null, error);
            }
        }

        return (filter, null);
    }

    /// <summary>The filter in the words of the command line, e.g. <c>every active market with text=btc, neg-risk=false</c>.</summary>
    public static string Describe(UniverseFilter filter)
    {
        var criteria = new List<string>();
        void Add(string key, object? value)
        {
            if (value is not null)
            {
                criteria.Add(string.Create(CultureInfo.InvariantCulture, $"{key}={value}"));
            }
        }

        Add("text", filter.Text);
        Add("tag", filter.Tag);
        Add("neg-risk", filter.NegRisk?.ToString().ToLowerInvariant());
        Add("min-volume", filter.MinVolume);
        Add("min-liquidity", filter.MinLiquidity);
        return criteria.Count == 0 ? "every active market" : TerminalText.Clean($"every active market with {string.Join(", ", criteria)}");
    }

    private static UniverseFilter? Parse(ArgumentResult result)
    {
        var (filter, error) = Parse(result.Tokens.Select(t => t.Value));
        if (error is not null)
        {
            result.AddError(error);
        }

        return filter;
    }

    private static decimal? Amount(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) ? amount : null;
}
