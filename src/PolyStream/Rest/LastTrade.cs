using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>A token's last trade from <c>/last-trade-price</c>.</summary>
/// <param name="TokenId">The token id.</param>
/// <param name="Price">The trade price, or <see langword="null"/> when the token has not traded.</param>
/// <param name="Side">The taker side, or <see langword="null"/> when not known.</param>
internal sealed record LastTrade(string TokenId, ExactDecimal? Price, Side? Side);
