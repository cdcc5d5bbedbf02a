namespace PolyStream.Protocol;

/// <summary>Keeps secrets out of logs, printed text, <c>ToString()</c> and the event stream.</summary>
internal static class Redaction
{
    /// <summary>What a secret is shown as.</summary>
    public const string Hidden = "***";

    private static readonly System.Buffers.SearchValues<char> s_authorityEnds = System.Buffers.SearchValues.Create("/?# \t\r\n'\"<>");

    /// <summary>
    /// The text with the <c>user:password@</c> part of every URL in it removed, e.g. <c>nats://a:b@host:4222</c>
    /// → <c>nats://host:4222</c>: for a URL from settings, and for an exception message that may quote one.
    /// </summary>
    public static string Url(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new System.Text.StringBuilder(text.Length);
        var from = 0;
        int scheme;
        while ((scheme = text.IndexOf("://", from, StringComparison.Ordinal)) >= 0)
        {
            var start = scheme + 3;
            var end = text.AsSpan(start).IndexOfAny(s_authorityEnds);
            end = end < 0 ? text.Length : start + end;
            var at = text.AsSpan(start, end - start).LastIndexOf('@');
            result.Append(text, from, start - from);
            from = at < 0 ? start : start + at + 1;
        }

        return result.Append(text, from, text.Length - from).ToString();
    }

    /// <summary><see cref="Hidden"/> for a secret that is set, <see langword="null"/> for one that is not.</summary>
    public static string? Secret(string? value) => value is null ? null : Hidden;

    /// <summary>An API key as logs, displays and the stream show it: its first four characters and an ellipsis. Empty stays empty.</summary>
    public static string ApiKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length switch
        {
            0 => key,
            <= 4 => Hidden,
            _ => string.Concat(key.AsSpan(0, 4), "…"),
        };
    }
}
