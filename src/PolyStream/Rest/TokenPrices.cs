using PolyStream.Protocol;

namespace PolyStream.Rest;

/// <summary>The prices <c>POST /prices</c> returned for one token; a side is present only if it was requested.</summary>
/// <param name="Buy">The <c>BUY</c> price (the best bid), if requested.</param>
/// <param name="Sell">The <c>SELL</c> price (the best ask), if requested.</param>
internal sealed record TokenPrices(ExactDecimal? Buy, ExactDecimal? Sell);
