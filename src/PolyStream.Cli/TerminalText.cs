using System.Text;

namespace PolyStream.Cli;

/// <summary>
/// Makes text from the venue or the bus safe to print: questions, slugs, outcomes and ids are input, and a
/// control character in them (ESC starts a terminal escape sequence that can retitle the window, move the
/// cursor or hide text) must never reach the terminal.
/// </summary>
internal static class TerminalText
{
    /// <summary>The text with every control character (C0, DEL, C1) and bidirectional override replaced by '?'.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(s_unsafe))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(s_unsafe.Contains(c) ? '?' : c);
        }

        return clean.ToString();
    }

    /// <summary>The text cut to <paramref name="width"/> characters, an ellipsis marking the cut: its end, or with <paramref name="keepEnd"/> its start (a label's outcome comes last).</summary>
    public static string Fit(string text, int width, bool keepEnd = false)
    {
        var keep = Math.Max(0, width - 1);
        return text.Length <= width ? text
            : keepEnd ? string.Concat("…", text.AsSpan(text.Length - keep)) : string.Concat(text.AsSpan(0, keep), "…");
    }

    private static readonly System.Buffers.SearchValues<char> s_unsafe = System.Buffers.SearchValues.Create(Unsafe());

    private static string Unsafe()
    {
        var chars = new StringBuilder();
        for (var c = '\0'; c <= '\u009F'; c++)
        {
            if (char.IsControl(c))
            {
                chars.Append(c);
            }
        }

        // Bidirectional embeddings, overrides and isolates reorder what the reader sees.
        return chars.Append("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069").ToString();
    }
}
