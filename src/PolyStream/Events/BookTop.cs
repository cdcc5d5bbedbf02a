using PolyStream.Books;
using PolyStream.Protocol;

namespace PolyStream.Events;

/// <summary>
/// What an event's line or bus message says about a book besides its levels: the best prices, the hash it was
/// last checked against, and the fields a delta or trade moves (market, timestamp, last trade price). A view
/// keeps it apart from its summary, so printing or publishing every event does not rebuild a linked view's book.
/// </summary>
internal readonly record struct BookTop(ExactDecimal? BestBid, ExactDecimal? BestAsk, BookHash Hash, string Market, long? Timestamp, ExactDecimal? LastTradePrice)
{
    public static BookTop Of(OrderBook book) =>
        new(book.BestBid?.Price, book.BestAsk?.Price, book.Hash, book.Market, book.Timestamp, book.LastTradePrice);

    public static BookTop Of(BookSummary summary) =>
        new(summary.BestBid?.Price, summary.BestAsk?.Price, summary.Hash, summary.Market, summary.Timestamp, summary.LastTradePrice);
}
