
namespace PolyStream.Protocol;

/// <summary>The side of an order or level change: <c>BUY</c> is the bid side of a token's book, <c>SELL</c> the ask side.</summary>
public enum Side
{
    /// <summary><c>BUY</c>: a bid.</summary>
    Buy,

    /// <summary><c>SELL</c>: an ask.</summary>
    Sell,
}
