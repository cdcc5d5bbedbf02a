using System.Security.Cryptography;
using System.Text;

namespace PolyStream.Auth;

/// <summary>
/// The venue's L2 request signature (POLYMARKET.md §5.2): HMAC-SHA256 keyed with the base64url
/// secret over <c>timestamp + METHOD + path + body</c>, encoded as base64url with padding kept.
/// </summary>
internal static class L2Signature
{
    /// <summary>Signs one request.</summary>
    /// <param name="secret">The API secret, base64url (the standard alphabet and missing padding are accepted).</param>
    /// <param name="timestamp">Unix seconds as sent in <c>POLY_TIMESTAMP</c>.</param>
    /// <param name="method">The HTTP method, uppercase.</param>
    /// <param name="requestPath">The path without the query string, e.g. <c>/data/orders</c>.</param>
    /// <param name="body">The exact request body sent, or <see langword="null"/> when there is none.</param>
    /// <returns>The value of the <c>POLY_SIGNATURE</c> header.</returns>
    /// <exception cref="FormatException">The secret is not base64.</exception>
    public static string Sign(string secret, string timestamp, string method, string requestPath, string? body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var key = DecodeSecret(secret);
        var message = Encoding.UTF8.GetBytes(string.Concat(timestamp, method, requestPath, body));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, message));
        return signature.Replace('+', '-').Replace('/', '_');
    }

    private static byte[] DecodeSecret(string secret)
    {
        var standard = secret.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '='));
    }
}
