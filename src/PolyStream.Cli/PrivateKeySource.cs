using System.Text;

namespace PolyStream.Cli;

/// <summary>Reads the wallet key without echoing it: from an environment variable, a hidden prompt, or one line of piped input.</summary>
internal static class PrivateKeySource
{
    public static string Read(string variable, TextWriter prompt)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment.Trim();
        }

        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine()?.Trim() ?? string.Empty;
        }

        prompt.Write($"Wallet private key (hex; not shown; or set {variable}): ");
        var key = new StringBuilder(66);
        for (var typed = Console.ReadKey(intercept: true); typed.Key != ConsoleKey.Enter; typed = Console.ReadKey(intercept: true))
        {
            if (typed.Key == ConsoleKey.Backspace && key.Length > 0)
            {
                key.Length--;
            }
            else if (!char.IsControl(typed.KeyChar))
            {
                key.Append(typed.KeyChar);
            }
        }

        prompt.WriteLine();
        return key.ToString().Trim();
    }

    /// <summary>The canonical stored form: <c>0x</c> and lowercase hex.</summary>
    public static string Normalize(string key) =>
        "0x" + (key.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? key[2..] : key).ToLowerInvariant();
}
