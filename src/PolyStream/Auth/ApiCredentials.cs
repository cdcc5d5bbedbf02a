using System.Text.Json.Serialization;

namespace PolyStream.Auth;

/// <summary>L2 API credentials as the venue issues them. <see cref="ToString"/> never shows the secret or passphrase.</summary>
/// <param name="ApiKey">The API key (a UUID).</param>
/// <param name="Secret">The base64url HMAC secret.</param>
/// <param name="Passphrase">The passphrase sent with each L2 request.</param>
public sealed record ApiCredentials(
    [property: JsonPropertyName("apiKey")] string ApiKey,
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("passphrase")] string Passphrase)
{
    /// <summary>Shows the key's first characters only; secret and passphrase are masked.</summary>
    public override string ToString() => $"ApiCredentials {{ ApiKey = {Redact(ApiKey)}, Secret = ***, Passphrase = *** }}";

    /// <summary>The first four characters and an ellipsis, for logs and displays.</summary>
    public static string Redact(string value) =>
        string.IsNullOrEmpty(value) ? "(none)" : Protocol.Redaction.ApiKey(value);
}
