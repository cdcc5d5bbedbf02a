using System.CommandLine.Parsing;
using System.Globalization;

namespace PolyStream.Cli;

/// <summary>Options whose value is a number or <c>max</c> (read as +∞): <c>--rate</c> of sim and bench, <c>--speed</c> of replay.</summary>
internal static class NumberOrMax
{
    /// <summary>
    /// The option's value, <c>max</c> by default; adds an error when it is neither <c>max</c> nor a finite
    /// number above 0 (or 0 itself when <paramref name="zeroAllowed"/>).
    /// </summary>
    /// <param name="result">The option's argument.</param>
    /// <param name="zeroAllowed">Whether 0 is a value (a frozen simulator) or an error.</param>
    /// <param name="unit">What the number counts, named in the error ("steps per second"), or empty.</param>
    public static double Parse(ArgumentResult result, bool zeroAllowed, string unit)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "max";
        if (text.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && (value > 0 || (zeroAllowed && value == 0)))
        {
            return value;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : "the value";
        var of = unit.Length > 0 ? " of " + unit : string.Empty;
        result.AddError($"{name} must be a {(zeroAllowed ? "non-negative" : "positive")} number{of} or 'max', not '{text}'.");
        return 0;
    }
}
