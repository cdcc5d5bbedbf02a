
namespace PolyStream.Protocol;

/// <summary>One price level: the aggregate size resting at a price, both exactly as the venue wrote them.</summary>
/// <param name="Price">The level's price in [0, 1].</param>
/// <param name="Size">The aggregate size; zero means the level is removed.</param>
public readonly record struct PriceLevel(ExactDecimal Price, ExactDecimal Size);
