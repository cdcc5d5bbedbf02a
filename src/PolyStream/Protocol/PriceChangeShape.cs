
namespace PolyStream.Protocol;

/// <summary>Which of the venue's three <c>price_change</c> layouts a message used.</summary>
internal enum PriceChangeShape
{
    /// <summary>Since 2025-09-15: <c>price_changes[]</c> entries, each with its own asset, hash and best bid/ask.</summary>
    Current,

    /// <summary>2024-10 to 2025-09: top-level <c>asset_id</c> and <c>hash</c> with <c>changes[]</c>.</summary>
    Legacy,

    /// <summary>2024-08 and earlier: one change flattened into the top-level object.</summary>
    Flat,
}
