using System.Text.Json.Serialization;

namespace PolyStream.Auth;

/// <summary>What the credentials file holds. <see cref="ToString"/> masks every secret.</summary>
internal sealed record StoredCredentials
{
    /// <summary>The wallet address the API key belongs to.</summary>
    [JsonPropertyName("address")]
    public required string Address { get; init; }

    /// <summary>The L2 API credentials.</summary>
    [JsonPropertyName("api")]
    public required ApiCredentials Api { get; init; }

    /// <summary>The CLOB host the key was issued by, so keys for a simulator never meet production.</summary>
    [JsonPropertyName("host")]
    public string? Host { get; init; }

    /// <summary>The wallet's private key, present only when the user asked to store it.</summary>
    [JsonPropertyName("private_key")]
    public string? PrivateKey { get; init; }

    /// <summary>Masked: address, host and the API key's first characters.</summary>
    public override string ToString() =>
        $"StoredCredentials {{ Address = {Address}, Host = {Host ?? "(any)"}, Api = {Api}, PrivateKey = {(PrivateKey is null ? "(not stored)" : "***")} }}";
}
