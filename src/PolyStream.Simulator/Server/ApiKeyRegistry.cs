using System.Security.Cryptography;
using System.Text;
using PolyStream.Auth;
using PolyStream.Simulator.Engine;

namespace PolyStream.Simulator.Server;

/// <summary>
/// The API keys the simulator has issued: one per (address, nonce), derived deterministically
/// from the seed so a test can predict them, plus the simulated account's own key.
/// </summary>
internal sealed class ApiKeyRegistry
{
    private readonly Lock _gate = new();
    private readonly byte[] _seed;
    private readonly Dictionary<string, Issued> _byKey = new(StringComparer.Ordinal);

    public ApiKeyRegistry(int seed, SimAccount account)
    {
        _seed = SHA256.HashData(Encoding.UTF8.GetBytes($"polystream-sim-keys:{seed}"));
        _byKey.Add(account.ApiKey, new Issued(new ApiCredentials(account.ApiKey, account.Secret, account.Passphrase), account.MakerAddress.ToLowerInvariant(), -1));
    }

    /// <summary>Issues the key of (address, nonce); <see langword="null"/> when it was already issued (the venue refuses a second create).</summary>
    public ApiCredentials? Create(string address, long nonce)
    {
        var credentials = Derive(address, nonce);
        lock (_gate)
        {
            return _byKey.TryAdd(credentials.ApiKey, new Issued(credentials, address.ToLowerInvariant(), nonce)) ? credentials : null;
        }
    }

    /// <summary>The key already issued for (address, nonce), or <see langword="null"/>.</summary>
    public ApiCredentials? Find(string address, long nonce)
    {
        var credentials = Derive(address, nonce);
        lock (_gate)
        {
            return _byKey.ContainsKey(credentials.ApiKey) ? credentials : null;
        }
    }

    /// <summary>The issued key with this id, and the address it belongs to.</summary>
    public (ApiCredentials Credentials, string Address)? Lookup(string apiKey)
    {
        lock (_gate)
        {
            return _byKey.TryGetValue(apiKey, out var issued) ? (issued.Credentials, issued.Address) : null;
        }
    }

    /// <summary>Whether a user-channel <c>auth</c> payload names an issued key exactly.</summary>
    public bool Accepts(string? apiKey, string? secret, string? passphrase) =>
        apiKey is not null && Lookup(apiKey) is { } issued && issued.Credentials.Secret == secret && issued.Credentials.Passphrase == passphrase;

    /// <summary>The ids of every key issued to an address.</summary>
    public IReadOnlyList<string> KeysOf(string address)
    {
        lock (_gate)
        {
            return [.. _byKey.Values.Where(i => string.Equals(i.Address, address, StringComparison.OrdinalIgnoreCase)).Select(i => i.Credentials.ApiKey)];
        }
    }

    /// <summary>Revokes a key.</summary>
    public bool Revoke(string apiKey)
    {
        lock (_gate)
        {
            return _byKey.Remove(apiKey);
        }
    }

    /// <summary>The venue's shapes: a UUID key, a 44-character base64url secret, a 64-hex passphrase.</summary>
    private ApiCredentials Derive(string address, long nonce)
    {
        var material = HMACSHA512.HashData(_seed, Encoding.UTF8.GetBytes($"{address.ToLowerInvariant()}|{nonce}"));
        var key = new Guid(material.AsSpan(0, 16)).ToString();
        var secret = Convert.ToBase64String(material.AsSpan(16, 32)).Replace('+', '-').Replace('/', '_');
        var passphrase = Convert.ToHexStringLower(SHA256.HashData(material.AsSpan(48, 16)));
        return new ApiCredentials(key, secret, passphrase);
    }

    private sealed record Issued(ApiCredentials Credentials, string Address, long Nonce);
}
