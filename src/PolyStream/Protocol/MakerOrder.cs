
namespace PolyStream.Protocol;

/// <summary>One maker order a user trade matched (<see cref="Events.UserTradeReceived.MakerOrders"/>).</summary>
/// <param name="OrderId">The maker order's hash.</param>
/// <param name="AssetId">The token the maker order was on.</param>
/// <param name="Owner">The maker's API key.</param>
/// <param name="MakerAddress">The maker's wallet.</param>
/// <param name="MatchedAmount">The size matched against this order.</param>
/// <param name="Price">The maker order's price.</param>
/// <param name="FeeRateBps">The fee rate in basis points as sent.</param>
/// <param name="Outcome">The outcome name.</param>
public sealed record MakerOrder(
    string OrderId,
    string AssetId,
    string Owner,
    string MakerAddress,
    ExactDecimal MatchedAmount,
    ExactDecimal Price,
    string FeeRateBps,
    string Outcome);
