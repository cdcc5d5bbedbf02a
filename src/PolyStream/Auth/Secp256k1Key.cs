using System.Text;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace PolyStream.Auth;

/// <summary>
/// A wallet's secp256k1 private key: derives the Ethereum address and signs 32-byte digests the
/// way every Polymarket SDK does (RFC 6979 deterministic nonce, low-s, <c>v</c> of 27 or 28).
/// The key never appears in <see cref="ToString"/>.
/// </summary>
internal sealed class Secp256k1Key
{
    private static readonly X9ECParameters s_curve = ECNamedCurveTable.GetByName("secp256k1");
    private static readonly ECDomainParameters s_domain = new(s_curve.Curve, s_curve.G, s_curve.N, s_curve.H);
    private static readonly BigInteger s_halfOrder = s_curve.N.ShiftRight(1);

    private readonly BigInteger _secret;
    private readonly ECPoint _publicKey;

    private Secp256k1Key(BigInteger secret)
    {
        _secret = secret;
        _publicKey = s_domain.G.Multiply(secret).Normalize();
        Address = AddressOf(_publicKey);
    }

    /// <summary>The wallet's address, <c>0x</c> and 40 lowercase hex digits.</summary>
    public string Address { get; }

    /// <summary>Reads a private key written as 64 hex digits, with or without <c>0x</c>.</summary>
    /// <exception cref="FormatException">The text is not a valid secp256k1 private key.</exception>
    public static Secp256k1Key FromHex(string privateKeyHex)
    {
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        var hex = privateKeyHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKeyHex[2..] : privateKeyHex;
        byte[] bytes;
        try
        {
            bytes = hex.Length == 64 ? Convert.FromHexString(hex) : throw new FormatException();
        }
        catch (FormatException)
        {
            // Never echo the input: it may be a real key with a typo.
            throw new FormatException("A private key is 64 hex digits, optionally prefixed with 0x.");
        }

        var secret = new BigInteger(1, bytes);
        return secret.SignValue == 0 || secret.CompareTo(s_curve.N) >= 0
            ? throw new FormatException("The private key is outside the secp256k1 range.")
            : new Secp256k1Key(secret);
    }

    /// <summary>Signs a 32-byte digest; returns <c>0x</c> + r ‖ s ‖ v as 130 hex digits.</summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes.</exception>
    public string Sign(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != Keccak256.Length)
        {
            throw new ArgumentException("A digest to sign has 32 bytes.", nameof(digest));
        }

        var message = digest.ToArray();
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
        signer.Init(true, new ECPrivateKeyParameters(_secret, s_domain));
        var rs = signer.GenerateSignature(message);
        var r = rs[0];
        var s = rs[1].CompareTo(s_halfOrder) > 0 ? s_curve.N.Subtract(rs[1]) : rs[1];
        var recoveryId = FindRecoveryId(message, r, s);

        var signature = new StringBuilder("0x", 132);
        signature.Append(Convert.ToHexStringLower(r.ToByteArrayUnsigned().PadLeft32()));
        signature.Append(Convert.ToHexStringLower(s.ToByteArrayUnsigned().PadLeft32()));
        signature.Append(Convert.ToHexStringLower([(byte)(27 + recoveryId)]));
        return signature.ToString();
    }

    /// <summary>Returns the address only, so a key printed by mistake leaks nothing.</summary>
    public override string ToString() => $"Secp256k1Key({Address})";

    /// <summary>
    /// Recovers the address that signed <paramref name="digest"/>, as the venue does to check an
    /// L1 signature; <see langword="null"/> when the signature is malformed or recovers no key.
    /// </summary>
    /// <param name="digest">The 32-byte digest that was signed.</param>
    /// <param name="signatureHex">r ‖ s ‖ v as 130 hex digits, with or without <c>0x</c>; v is 27/28 or 0/1.</param>
    public static string? RecoverAddress(ReadOnlySpan<byte> digest, string signatureHex)
    {
        ArgumentNullException.ThrowIfNull(signatureHex);
        var hex = signatureHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signatureHex[2..] : signatureHex;
        if (digest.Length != Keccak256.Length || hex.Length != 130)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }

        var recoveryId = bytes[64] >= 27 ? bytes[64] - 27 : bytes[64];
        var r = new BigInteger(1, bytes, 0, 32);
        var s = new BigInteger(1, bytes, 32, 32);
        if (recoveryId is not (0 or 1) || r.SignValue == 0 || s.SignValue == 0 || r.CompareTo(s_curve.N) >= 0 || s.CompareTo(s_curve.N) >= 0)
        {
            return null;
        }

        return Recover(digest.ToArray(), r, s, recoveryId) is { } point ? AddressOf(point) : null;
    }

    private static string AddressOf(ECPoint publicKey)
    {
        var uncompressed = publicKey.GetEncoded(compressed: false);
        var hash = Keccak256.Hash(uncompressed[1..]);
        return "0x" + Convert.ToHexStringLower(hash.AsSpan(hash.Length - 20));
    }

    /// <summary>
    /// The public key a signature commits to for one of the two points with x = r (SEC 1 §4.1.6),
    /// computed with the library's curve operations; <see langword="null"/> when that point does not exist.
    /// </summary>
    private static ECPoint? Recover(byte[] digest, BigInteger r, BigInteger s, int recoveryId)
    {
        var n = s_curve.N;
        var e = new BigInteger(1, digest);
        var rInverse = r.ModInverse(n);
        var eFactor = rInverse.Multiply(n.Subtract(e).Mod(n)).Mod(n);
        var sFactor = rInverse.Multiply(s).Mod(n);
        var compressed = new byte[33];
        compressed[0] = (byte)(0x02 + recoveryId);
        r.ToByteArrayUnsigned().PadLeft32().CopyTo(compressed, 1);
        ECPoint candidate;
        try
        {
            candidate = s_curve.Curve.DecodePoint(compressed);
        }
        catch (ArgumentException)
        {
            return null;
        }

        var recovered = ECAlgorithms.SumOfTwoMultiplies(s_domain.G, eFactor, candidate, sFactor).Normalize();
        return recovered.IsInfinity ? null : recovered;
    }

    /// <summary>Finds which of the two candidate points reproduces this key, for <c>v</c>.</summary>
    private int FindRecoveryId(byte[] digest, BigInteger r, BigInteger s)
    {
        for (var recoveryId = 0; recoveryId < 2; recoveryId++)
        {
            if (Recover(digest, r, s, recoveryId) is { } recovered && recovered.Equals(_publicKey))
            {
                return recoveryId;
            }
        }

        throw new InvalidOperationException("No recovery id reproduces the public key; the signature is invalid.");
    }
}
