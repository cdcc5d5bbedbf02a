using System.Globalization;

namespace PolyStream.Connections;

/// <summary>Reads an HTTP <c>Retry-After</c> header from a WebSocket handshake's response headers.</summary>
internal static class RetryAfterHeader
{
    /// <summary>The wait the header asks for (delta-seconds or an HTTP date relative to <paramref name="now"/>), or <see langword="null"/> when absent or unreadable.</summary>
    public static TimeSpan? Parse(IReadOnlyDictionary<string, IEnumerable<string>>? headers, DateTimeOffset now)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var (name, values) in headers)
        {
            if (!string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                var text = value.Trim();
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(Math.Min(seconds, 86_400));
                }

                if (DateTimeOffset.TryParseExact(text, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                {
                    var wait = date - now;
                    return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
                }
            }
        }

        return null;
    }
}
