using Org.BouncyCastle.Crypto.Digests;

namespace PolyStream.Auth;

/// <summary>Ethereum's keccak-256 (the pre-standard SHA-3 padding, which the BCL's SHA3_256 does not use).</summary>
internal static class Keccak256
{
    public const int Length = 32;

    public static byte[] Hash(params ReadOnlySpan<byte[]> parts)
    {
        var digest = new KeccakDigest(256);
        foreach (var part in parts)
        {
            digest.BlockUpdate(part, 0, part.Length);
        }

        var output = new byte[Length];
        digest.DoFinal(output, 0);
        return output;
    }
}
