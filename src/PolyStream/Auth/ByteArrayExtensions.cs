
namespace PolyStream.Auth;

/// <summary>Fixed-width big-endian helpers for EIP-712 words.</summary>
internal static class ByteArrayExtensions
{
    /// <summary>Left-pads (or keeps) a big-endian number to one 32-byte word.</summary>
    public static byte[] PadLeft32(this byte[] value)
    {
        if (value.Length == 32)
        {
            return value;
        }

        var word = new byte[32];
        value.CopyTo(word, 32 - value.Length);
        return word;
    }
}
