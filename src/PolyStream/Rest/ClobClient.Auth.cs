using System.Globalization;
using PolyStream.Auth;

namespace PolyStream.Rest;

internal sealed partial class ClobClient
{
    /// <summary>Creates new API credentials for the signer and nonce (<c>POST /auth/api-key</c>, L1).</summary>
    public async Task<ApiCredentials> CreateApiKeyAsync(long nonce = 0, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Post, "/auth/api-key", null, null, RequestAuth.L1(nonce), cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, RestJsonContext.Default.ApiCredentials, "POST /auth/api-key");
    }

    /// <summary>Returns the credentials that already exist for the signer and nonce (<c>GET /auth/derive-api-key</c>, L1).</summary>
    public async Task<ApiCredentials> DeriveApiKeyAsync(long nonce = 0, CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/auth/derive-api-key", null, null, RequestAuth.L1(nonce), cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, RestJsonContext.Default.ApiCredentials, "GET /auth/derive-api-key");
    }

    /// <summary>Creates credentials, or derives the existing ones when creation fails (as every SDK does).</summary>
    public async Task<ApiCredentials> CreateOrDeriveApiKeyAsync(long nonce = 0, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CreateApiKeyAsync(nonce, cancellationToken).ConfigureAwait(false);
        }
        catch (ClobApiException ex) when (ex.StatusCode is not null)
        {
            return await DeriveApiKeyAsync(nonce, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The API keys of the credentials' owner (<c>GET /auth/api-keys</c>, L2).</summary>
    public async Task<IReadOnlyList<string>> GetApiKeysAsync(CancellationToken cancellationToken = default)
    {
        var body = await SendAsync(HttpMethod.Get, "/auth/api-keys", null, null, RequestAuth.L2, cancellationToken).ConfigureAwait(false);
        return RestBodies.Deserialize(body, RestJsonContext.Default.ApiKeyList, "GET /auth/api-keys").ApiKeys;
    }

    /// <summary>Revokes the credentials in use (<c>DELETE /auth/api-key</c>, L2).</summary>
    public async Task DeleteApiKeyAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(HttpMethod.Delete, "/auth/api-key", null, null, RequestAuth.L2, cancellationToken).ConfigureAwait(false);

    private void AddAuthHeaders(HttpRequestMessage request, HttpMethod method, string path, string? body, RequestAuth auth)
    {
        if (auth.Level == AuthLevel.None)
        {
            return;
        }

        var timestamp = _options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        var timestampText = timestamp.ToString(CultureInfo.InvariantCulture);
        var headers = request.Headers;
        if (auth.Level == AuthLevel.L1)
        {
            var signer = Credentials?.Signer
                ?? throw new InvalidOperationException("This call needs the wallet key (L1): create the client with ClobCredentials.Signer set.");
            var nonce = auth.Nonce;
            headers.Add("POLY_ADDRESS", signer.Address);
            headers.Add("POLY_SIGNATURE", ClobAuth.Sign(signer, timestamp, nonce, _options.ChainId));
            headers.Add("POLY_TIMESTAMP", timestampText);
            headers.Add("POLY_NONCE", nonce.ToString(CultureInfo.InvariantCulture));
            return;
        }

        var api = Credentials?.Api
            ?? throw new InvalidOperationException("This call needs API credentials (L2): run 'polystream auth init' or set ClobCredentials.Api.");
        var address = Credentials.EffectiveAddress
            ?? throw new InvalidOperationException("L2 calls need the wallet address the API key belongs to: set ClobCredentials.Address.");
        headers.Add("POLY_ADDRESS", address);
        headers.Add("POLY_SIGNATURE", L2Signature.Sign(api.Secret, timestampText, method.Method, path, body));
        headers.Add("POLY_TIMESTAMP", timestampText);
        headers.Add("POLY_API_KEY", api.ApiKey);
        headers.Add("POLY_PASSPHRASE", api.Passphrase);
    }
}
