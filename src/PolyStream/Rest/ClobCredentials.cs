using PolyStream.Auth;

namespace PolyStream.Rest;

/// <summary>What authenticated calls sign with: the wallet key for L1, the API credentials for L2, or both.</summary>
internal sealed record ClobCredentials
{
    /// <summary>The wallet key, needed to create or derive API keys (L1).</summary>
    public Secp256k1Key? Signer { get; init; }

    /// <summary>The API credentials, needed for L2 endpoints and the user channel.</summary>
    public ApiCredentials? Api { get; init; }

    /// <summary>The wallet address the API key belongs to; defaults to the signer's.</summary>
    public string? Address { get; init; }

    /// <summary>The address sent in <c>POLY_ADDRESS</c>.</summary>
    public string? EffectiveAddress => Address ?? Signer?.Address;

    /// <summary>Redacted: the address and the API key's first characters only.</summary>
    public override string ToString() => $"ClobCredentials {{ Address = {EffectiveAddress ?? "(none)"}, Api = {Api?.ToString() ?? "(none)"}, Signer = {(Signer is null ? "(none)" : "set")} }}";
}
