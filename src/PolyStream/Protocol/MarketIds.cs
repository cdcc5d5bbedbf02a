using System.Buffers;

namespace PolyStream.Protocol;

/// <summary>The shapes of the venue's market ids, checked before an id from the feed or REST is used.</summary>
internal static class MarketIds
{
    /// <summary>The most digits of a token id: an ERC-1155 position id, a 256-bit number in decimal.</summary>
    public const int MaxTokenIdDigits = 78;

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Whether <paramref name="id"/> is a token id: 1 to 78 ASCII digits.</summary>
    public static bool IsTokenId(string? id) =>
        id is { Length: > 0 and <= MaxTokenIdDigits } && !id.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>Whether <paramref name="id"/> is a condition id: <c>0x</c> and 64 hex digits.</summary>
    public static bool IsConditionId(string? id) =>
        id is { Length: 66 } && id.StartsWith("0x", StringComparison.Ordinal) && !id.AsSpan(2).ContainsAnyExcept(s_hexDigits);
}
