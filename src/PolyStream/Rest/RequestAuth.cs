
namespace PolyStream.Rest;

/// <summary>How one REST call is signed: its level, and for L1 the credential nonce.</summary>
internal readonly record struct RequestAuth(AuthLevel Level, long Nonce)
{
    public static RequestAuth None => new(AuthLevel.None, 0);

    public static RequestAuth L2 => new(AuthLevel.L2, 0);

    public static RequestAuth L1(long nonce) => new(AuthLevel.L1, nonce);
}
