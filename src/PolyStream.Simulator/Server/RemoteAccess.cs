using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PolyStream.Simulator.Server;

/// <summary>
/// Who may reach a local HTTP server (the simulator, the recording server, the daemon's status): this
/// machine only, unless the caller both allows other machines and sets a bearer token every request must carry.
/// </summary>
internal static class RemoteAccess
{
    /// <summary>The shortest access token accepted: long enough not to be guessed over the network.</summary>
    public const int MinTokenLength = 16;

    /// <summary>The address to listen on.</summary>
    /// <param name="host">An IP address or <c>localhost</c>.</param>
    /// <param name="allowRemote">The caller asked for an address other machines can reach.</param>
    /// <param name="accessToken">The bearer token requests must carry; required off loopback.</param>
    /// <exception cref="ArgumentException">The host is no address, or reachable from other machines without both the opt-in and a token.</exception>
    public static IPAddress Address(string host, bool allowRemote, string? accessToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"'{host}' is not an IP address or localhost.");
        if (IPAddress.IsLoopback(address))
        {
            return address;
        }

        if (!allowRemote)
        {
            throw new ArgumentException($"{host} can be reached from other machines: listening there needs the opt-in (--allow-remote, AllowRemote) and an access token (--access-token, AccessToken) that clients send as 'Authorization: Bearer <token>'; or bind 127.0.0.1.");
        }

        return accessToken is null || accessToken.Length < MinTokenLength
            ? throw new ArgumentException($"Listening on {host} needs an access token (--access-token, AccessToken) of at least {MinTokenLength} characters.")
            : address;
    }

    /// <summary>With a token, answers 401 to every request that does not carry <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public static void RequireToken(IApplicationBuilder app, string? accessToken)
    {
        if (accessToken is null)
        {
            return;
        }

        var expected = Encoding.UTF8.GetBytes("Bearer " + accessToken);
        app.Use(async (context, next) =>
        {
            if (!Carries(context.Request.Headers.Authorization.ToString(), expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    // Compared in constant time: the answer's timing must not tell how much of a guess was right.
    private static bool Carries(string header, byte[] expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), expected);
}
