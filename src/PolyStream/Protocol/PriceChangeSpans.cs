
namespace PolyStream.Protocol;

/// <summary>Groups a <c>price_change</c>'s entries by token without allocating: a message carries few entries.</summary>
internal static class PriceChangeSpans
{
    /// <summary>Whether the entry at <paramref name="index"/> names a token an earlier entry already named.</summary>
    public static bool AppearsEarlier(ReadOnlySpan<PriceChange> changes, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (changes[i].AssetId == changes[index].AssetId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many entries name <paramref name="assetId"/>.</summary>
    public static int CountFor(ReadOnlySpan<PriceChange> changes, string assetId)
    {
        var count = 0;
        foreach (var change in changes)
        {
            count += change.AssetId == assetId ? 1 : 0;
        }

        return count;
    }
}
