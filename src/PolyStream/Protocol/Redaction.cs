namespace PolyStream.Protocol;

/// <summary>Keeps secrets out of logs, printed text, <c>ToString()</c> and the event stream.</summary>
internal static class Redaction
{
    /// <summary>What a secret is shown as.</summary>
    public const string Hidden = "***";

    /// <summary>The URL without its <c>user:password@</c> part, e.g. <c>nats://a:b@host:4222</c> → <c>nats://host:4222</c>; text that is no URL is returned as it is.</summary>
    public static string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var start = scheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var at = url.LastIndexOf('@', end < 0 ? url.Length - 1 : end - 1, (end < 0 ? url.Length : end) - start);
        return at < 0 ? url : string.Concat(url.AsSpan(0, start), url.AsSpan(at + 1));
    }

    /// <summary><see cref="Hidden"/> for a secret that is set, <see langword="null"/> for one that is not.</summary>
    public static string? Secret(string? value) => value is null ? null : Hidden;

    /// <summary>
    /// An API key as the stream shows it: its last four characters, enough to tell one's own keys apart,
    /// too few to use. Empty stays empty.
    /// </summary>
    public static string ApiKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length switch
        {
            0 => key,
            < 16 => Hidden,
            _ => Hidden + key[^4..],
        };
    }
}
