
namespace PolyStream.Protocol;

/// <summary>One level change inside a <see cref="PriceChangeEvent"/>.</summary>
/// <param name="AssetId">The token whose book changed.</param>
/// <param name="Price">The level's price.</param>
/// <param name="Size">The new aggregate size at that price (absolute, not a delta); zero removes the level.</param>
/// <param name="Side"><see cref="Side.Buy"/> for the bid side, <see cref="Side.Sell"/> for the ask side.</param>
/// <param name="Hash">The hash of the token's book after the message's changes; no value when not sent.</param>
/// <param name="BestBid">The token's best bid after the change; <see langword="null"/> when absent or empty.</param>
/// <param name="BestAsk">The token's best ask after the change; <see langword="null"/> when absent or empty.</param>
internal readonly record struct PriceChange(
    string AssetId,
    ExactDecimal Price,
    ExactDecimal Size,
    Side Side,
    BookHash Hash,
    ExactDecimal? BestBid,
    ExactDecimal? BestAsk);
