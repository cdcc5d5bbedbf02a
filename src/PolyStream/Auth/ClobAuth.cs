using System.Globalization;
using System.Numerics;
using System.Text;

namespace PolyStream.Auth;

/// <summary>
/// The venue's L1 authentication (POLYMARKET.md §5.1): an EIP-712 <c>ClobAuth</c> message signed by
/// the wallet, used only to create or derive API credentials.
/// </summary>
internal static class ClobAuth
{
    /// <summary>The fixed text every <c>ClobAuth</c> message carries.</summary>
    public const string AttestationMessage = "This message attests that I control the given wallet";

    /// <summary>Polygon mainnet.</summary>
    public const long PolygonChainId = 137;

    /// <summary>Polygon's Amoy test network.</summary>
    public const long AmoyChainId = 80002;

    private static readonly byte[] s_domainTypeHash = Keccak256.Hash(Encoding.UTF8.GetBytes("EIP712Domain(string name,string version,uint256 chainId)"));
    private static readonly byte[] s_clobAuthTypeHash = Keccak256.Hash(Encoding.UTF8.GetBytes("ClobAuth(address address,string timestamp,uint256 nonce,string message)"));

    /// <summary>Signs a <c>ClobAuth</c> message; the result is the <c>POLY_SIGNATURE</c> header.</summary>
    /// <param name="key">The wallet key; its address is the message's address.</param>
    /// <param name="timestamp">Unix seconds, as sent in <c>POLY_TIMESTAMP</c>.</param>
    /// <param name="nonce">The credential nonce, as sent in <c>POLY_NONCE</c> (default 0).</param>
    /// <param name="chainId">137 for Polygon, 80002 for Amoy.</param>
    public static string Sign(Secp256k1Key key, long timestamp, long nonce = 0, long chainId = PolygonChainId)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(Digest(key.Address, timestamp, nonce, chainId));
    }

    /// <summary>The EIP-712 digest <c>keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash)</c>.</summary>
    public static byte[] Digest(string address, long timestamp, long nonce, long chainId) =>
        Keccak256.Hash([0x19, 0x01], DomainSeparator(chainId), StructHash(address, timestamp, nonce));

    internal static byte[] DomainSeparator(long chainId) => Keccak256.Hash(
        s_domainTypeHash,
        Keccak256.Hash(Encoding.UTF8.GetBytes("ClobAuthDomain")),
        Keccak256.Hash(Encoding.UTF8.GetBytes("1")),
        Word(chainId));

    internal static byte[] StructHash(string address, long timestamp, long nonce)
    {
        ArgumentNullException.ThrowIfNull(address);
        var addressBytes = Convert.FromHexString(address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? address[2..] : address);
        return Keccak256.Hash(
            s_clobAuthTypeHash,
            addressBytes.PadLeft32(),
            Keccak256.Hash(Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture))),
            Word(nonce),
            Keccak256.Hash(Encoding.UTF8.GetBytes(AttestationMessage)));
    }

    private static byte[] Word(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new BigInteger(value).ToByteArray(isUnsigned: true, isBigEndian: true).PadLeft32();
    }
}
