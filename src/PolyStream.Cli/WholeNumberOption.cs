using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace PolyStream.Cli;

/// <summary>
/// Options whose value is a whole number in a range. The value is read here, not by System.CommandLine, so a
/// typo (<c>--markets abc</c>) is one line naming the option and its range, never an exception from a validator.
/// </summary>
internal static class WholeNumberOption
{
    /// <summary>An option with a default, between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static Option<T> Create<T>(string name, string description, T defaultValue, T min, T max, string why = "")
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => Parse(r, min, max, why) ?? defaultValue,
        };

    /// <summary>An option without a default (<see langword="null"/> when not given), between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static Option<T?> Optional<T>(string name, string description, T min, T max)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T> => new(name)
        {
            Description = description,
            CustomParser = r => Parse(r, min, max, string.Empty),
        };

    private static T? Parse<T>(ArgumentResult result, T min, T max, string why)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : "the value";
        var range = (min == T.MinValue, max == T.MaxValue) switch
        {
            (true, true) => "a whole number",
            (false, true) => string.Create(CultureInfo.InvariantCulture, $"a whole number of at least {min}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"a whole number between {min} and {max}"),
        };
        result.AddError($"{name} must be {range}{why}, not '{text}'.");
        return null;
    }
}
