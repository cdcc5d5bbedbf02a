using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PolyStream.Cli;

/// <summary>A size option written as <c>1GiB</c>, <c>500MiB</c>, <c>64KiB</c>, <c>2GB</c>, or plain bytes.</summary>
internal static class SizeOption
{
    private static readonly (string Suffix, long Factor)[] s_units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("TiB", 1L << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000), ("B", 1),
    ];

    public static Option<long?> Create(string name, string description) => new(name)
    {
        Description = description + " (e.g. 1GiB, 500MiB, 2GB)",
        CustomParser = Parse,
    };

    /// <summary>Parses a size; <see langword="null"/> when it is not one.</summary>
    public static long? TryParse(string text)
    {
        text = text.Trim();
        var (number, factor) = s_units.FirstOrDefault(u => text.EndsWith(u.Suffix, StringComparison.OrdinalIgnoreCase)) is { Suffix: not null } unit
            ? (text[..^unit.Suffix.Length], unit.Factor)
            : (text, 1L);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 1 && value * factor < long.MaxValue
            ? (long)(value * factor)
            : null;
    }

    private static long? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var size = TryParse(text);
        if (size is null)
        {
            result.AddError($"'{text}' is not a size such as 1GiB, 500MiB or 2GB.");
        }

        return size;
    }
}
