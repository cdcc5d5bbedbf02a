
namespace PolyStream.Books;

/// <summary>Which fields the venue's summary hash covers; it changed twice (POLYMARKET.md §3.3).</summary>
internal enum BookHashVersion
{
    /// <summary>Since ~2025-12: ten fields, ending with <c>last_trade_price</c>.</summary>
    Current,

    /// <summary>~2025-09 to 2025-12: nine fields, adding <c>min_order_size</c>, <c>tick_size</c> and <c>neg_risk</c>.</summary>
    V9,

    /// <summary>Until mid-2025: <c>market</c>, <c>asset_id</c>, <c>timestamp</c>, <c>hash</c>, <c>bids</c>, <c>asks</c>.</summary>
    V6,
}
