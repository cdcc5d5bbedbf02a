using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolyStream.Auth;
using PolyStream.Simulator.Wire;

namespace PolyStream.Simulator.Server;

/// <summary>
/// The API-key endpoints (POLYMARKET.md §5), checking signatures as the venue does: L1 by
/// recovering the EIP-712 signer and comparing it with <c>POLY_ADDRESS</c>, L2 by recomputing the
/// HMAC over the exact request. Anything else is 401 <c>{"error": …}</c>.
/// </summary>
internal static class AuthEndpoints
{
    private const string Unauthorized = "Unauthorized/Invalid api key";

    public static void Map(IEndpointRouteBuilder app, SimulatorServer server)
    {
        var keys = server.ApiKeys;
        app.MapPost("/auth/api-key", (RequestDelegate)(context => L1(context, server, (address, nonce) =>
            keys.Create(address, nonce) is { } created
                ? Credentials(created)
                : new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error("Could not create api key"))).WriteAsync(context)));
        app.MapGet("/auth/derive-api-key", (RequestDelegate)(context => L1(context, server, (address, nonce) =>
            keys.Find(address, nonce) is { } existing
                ? Credentials(existing)
                : new HttpReply(StatusCodes.Status400BadRequest, WireWriter.Error("Could not derive api key"))).WriteAsync(context)));
        app.MapGet("/auth/api-keys", (RequestDelegate)(context => L2Async(context, keys, address => HttpReply.Ok(WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("apiKeys");
            foreach (var key in keys.KeysOf(address))
            {
                w.WriteStringValue(key);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        })))));
        app.MapDelete("/auth/api-key", (RequestDelegate)(context => L2Async(context, keys, _ =>
        {
            keys.Revoke(context.Request.Headers["POLY_API_KEY"].ToString());
            return HttpReply.Ok(Encoding.UTF8.GetBytes("\"OK\""));
        })));
        app.MapGet("/auth/ban-status/closed-only", (RequestDelegate)(context => L2Async(context, keys, _ =>
            HttpReply.Ok(Encoding.UTF8.GetBytes("{\"closed_only\":false}")))));
    }

    private static HttpReply L1(HttpContext context, SimulatorServer server, Func<string, long, HttpReply> handler)
    {
        var headers = context.Request.Headers;
        var address = headers["POLY_ADDRESS"].ToString();
        var signature = headers["POLY_SIGNATURE"].ToString();
        if (!long.TryParse(headers["POLY_TIMESTAMP"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !long.TryParse(headers["POLY_NONCE"].ToString() is { Length: > 0 } n ? n : "0", NumberStyles.None, CultureInfo.InvariantCulture, out var nonce)
            || address.Length != 42)
        {
            return Denied(server, "L1 headers missing or malformed");
        }

        byte[] digest;
        try
        {
            digest = ClobAuth.Digest(address, timestamp, nonce, server.Options.ChainId);
        }
        catch (FormatException)
        {
            return Denied(server, "L1 address is not hex");
        }

        var signer = Secp256k1Key.RecoverAddress(digest, signature);
        return string.Equals(signer, address, StringComparison.OrdinalIgnoreCase)
            ? handler(address, nonce)
            : Denied(server, "L1 signature does not recover POLY_ADDRESS");
    }

    private static async Task L2Async(HttpContext context, ApiKeyRegistry keys, Func<string, HttpReply> handler)
    {
        var headers = context.Request.Headers;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (keys.Lookup(headers["POLY_API_KEY"].ToString()) is not { } issued
            || headers["POLY_PASSPHRASE"].ToString() != issued.Credentials.Passphrase
            || !string.Equals(headers["POLY_ADDRESS"].ToString(), issued.Address, StringComparison.OrdinalIgnoreCase))
        {
            await new HttpReply(StatusCodes.Status401Unauthorized, WireWriter.Error(Unauthorized)).WriteAsync(context).ConfigureAwait(false);
            return;
        }

        var expected = L2Signature.Sign(
            issued.Credentials.Secret,
            headers["POLY_TIMESTAMP"].ToString(),
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            body.Length == 0 ? null : body);
        var reply = expected == headers["POLY_SIGNATURE"].ToString()
            ? handler(issued.Address)
            : new HttpReply(StatusCodes.Status401Unauthorized, WireWriter.Error(Unauthorized));
        await reply.WriteAsync(context).ConfigureAwait(false);
    }

    private static HttpReply Credentials(ApiCredentials credentials) => HttpReply.Ok(WireWriter.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("apiKey", credentials.ApiKey);
        w.WriteString("secret", credentials.Secret);
        w.WriteString("passphrase", credentials.Passphrase);
        w.WriteEndObject();
    }));

    private static HttpReply Denied(SimulatorServer server, string reason)
    {
        Log.AuthRejected(server.Logger, reason);
        return new HttpReply(StatusCodes.Status401Unauthorized, WireWriter.Error(Unauthorized));
    }

}
