using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PolyStream.Cli;

/// <summary>A duration option written as <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, or plain seconds.</summary>
internal static class DurationOption
{
    /// <summary>An option whose value is a duration above zero and, when <paramref name="max"/> is given, at most that long.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">What it does; examples are added.</param>
    /// <param name="max">The longest value accepted.</param>
    /// <param name="examples">The examples the description ends with.</param>
    public static Option<TimeSpan?> Create(string name, string description, TimeSpan? max = null, string examples = "30s, 5m, 500ms") => new(name)
    {
        Description = $"{description} (e.g. {examples})",
        CustomParser = result => Parse(result, name, max, examples),
    };

    /// <summary>A token that is cancelled by <paramref name="cancellationToken"/>, or when the duration (if given) runs out.</summary>
    public static CancellationTokenSource StopAfter(ParseResult result, Option<TimeSpan?> duration, CancellationToken cancellationToken) =>
        StopAfter(result.GetValue(duration), cancellationToken);

    /// <summary>A token that is cancelled by <paramref name="cancellationToken"/>, or after <paramref name="limit"/> when there is one.</summary>
    public static CancellationTokenSource StopAfter(TimeSpan? limit, CancellationToken cancellationToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit is { } after)
        {
            stop.CancelAfter(after);
        }

        return stop;
    }

    private static TimeSpan? Parse(ArgumentResult result, string name, TimeSpan? max, string examples)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value * unit < TimeSpan.MaxValue.TotalSeconds)
        {
            var duration = TimeSpan.FromSeconds(value * unit);
            if (max is not { } limit || duration <= limit)
            {
                return duration;
            }

            result.AddError($"{name} is at most {Format(limit)} (got {text}).");
            return null;
        }

        result.AddError($"'{text}' is not a duration such as {examples}.");
        return null;
    }

    private static string Format(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1) ? $"{duration.TotalMilliseconds:0.###}ms" : $"{duration.TotalSeconds:0.###}s";
}
