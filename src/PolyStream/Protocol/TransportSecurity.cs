using System.Net;

namespace PolyStream.Protocol;

/// <summary>Refuses plain-text transport (<c>http</c>, <c>ws</c>) to anything but this machine unless the caller opts in.</summary>
internal static class TransportSecurity
{
    /// <summary>Whether <paramref name="uri"/> is encrypted (<c>https</c>/<c>wss</c>) or addresses this machine (loopback).</summary>
    public static bool IsSafe(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme is "https" or "wss"
            || uri.IsLoopback
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>Throws unless <paramref name="uri"/> is safe or <paramref name="allowInsecure"/> is set.</summary>
    /// <param name="uri">The address to check.</param>
    /// <param name="allowInsecure">The caller accepted plain text to a remote host (the CLI's <c>--insecure</c>).</param>
    /// <exception cref="ArgumentException">Plain text to a remote host without the opt-in; the message says how to fix it.</exception>
    public static void Require(Uri uri, bool allowInsecure)
    {
        if (!allowInsecure && !IsSafe(uri))
        {
            throw new ArgumentException($"{uri} is not encrypted and not on this machine: use https/wss, or allow plain text explicitly (--insecure / AllowInsecureTransport).", nameof(uri));
        }
    }
}
